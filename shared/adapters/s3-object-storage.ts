import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStorage } from '../domain/generation/ports.ts';

/** Image objects never change once written, so caches may keep them for a year. */
const immutable = 'public, max-age=31536000, immutable';

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
    signedGetUrl(key, expiresInSeconds) {
      return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: expiresInSeconds,
      });
    },
  };
}
