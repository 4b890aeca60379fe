import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStorage } from '../domain/ports.ts';
import type { UploadSigner } from '../domain/uploads/upload.ts';

/** Image objects never change once written, so caches may keep them for a year. */
const immutable = 'public, max-age=31536000, immutable';

/** DeleteObjects takes at most 1000 keys. */
const deleteBatch = 1000;

export function s3ObjectStorage(s3: S3Client, bucket: string): ObjectStorage {
  return {
    async put(key, body, contentType) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          CacheControl: immutable,
        }),
      );
    },
    async get(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body!.transformToByteArray();
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    async copy(from, to) {
      await s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${encodeURI(from)}` }),
      );
    },
    async delete(keys) {
      for (let start = 0; start < keys.length; start += deleteBatch) {
        const { Errors } = await s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: keys.slice(start, start + deleteBatch).map((Key) => ({ Key })), Quiet: true },
          }),
        );
        if (Errors?.length) {
          throw new Error(`could not delete ${Errors.map((e) => `${e.Key} (${e.Code})`).join(', ')}`);
        }
      }
    },
    signedGetUrl(key, expiresInSeconds, contentDisposition) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(contentDisposition ? { ResponseContentDisposition: contentDisposition } : {}),
      });
      return getSignedUrl(s3, command, {
        expiresIn: expiresInSeconds,
      });
    },
  };
}

/**
 * Presigned POSTs into the image bucket. The policy pins the key, the exact content type
 * and a size range, so S3 itself refuses any other file; the role that signs must be
 * allowed the PutObject it hands out.
 */
export function s3UploadSigner(s3: S3Client, bucket: string): UploadSigner {
  return {
    async presignPost({ key, contentType, maxBytes, expiresInSeconds }) {
      const { url, fields } = await createPresignedPost(s3, {
        Bucket: bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 1, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresInSeconds,
      });
      return { url, fields };
    },
  };
}
