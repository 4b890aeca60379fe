import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors.ts';
import { uploadExpiryDays } from '../../resources.ts';
import type { Requester } from '../generation/accept-job.ts';
import { contentTypes, type ImageFormat, type ImageRecord, imageObjectKeys } from '../images/image.ts';
import { limits, maxPendingUploadTickets, uploadFormSeconds } from '../limits.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import {
  type UploadPurpose,
  type UploadRecord,
  type UploadSigner,
  type UploadStore,
  uploadObjectKey,
} from './upload.ts';

export interface CreateUploadDeps {
  readonly uploads: UploadStore;
  readonly signer: UploadSigner;
  readonly clock: Clock;
  readonly newId: IdGenerator;
}

export interface UploadRequest {
  readonly contentType: string;
  readonly contentLength: number;
  readonly purpose: UploadPurpose;
}

const day = 24 * 60 * 60;

/**
 * Hands out a presigned POST for one file (at most `maxPendingUploadTickets` unused ones per user) of the declared type and at most the declared
 * size (S3 refuses anything else), under a key of the caller's. The upload is recorded
 * now; the S3 event of the object starts its processing. For `describe` the image it
 * becomes exists at once, PENDING, so the client can follow it by id.
 */
export async function createUpload(
  deps: CreateUploadDeps,
  requester: Requester,
  input: UploadRequest,
  options: { correlationId: string },
) {
  const format = (Object.keys(contentTypes) as ImageFormat[]).find(
    (candidate) => contentTypes[candidate] === input.contentType,
  );
  if (!format) {
    throw new UnsupportedMediaTypeError(
      `contentType must be one of ${limits.uploads.acceptedTypes.join(', ')}, not ${input.contentType}.`,
    );
  }
  if (input.contentLength > limits.uploads.maxPresignedBytes) {
    throw new PayloadTooLargeError(
      `contentLength is over the ${limits.uploads.maxPresignedBytes} bytes an upload may have.`,
    );
  }

  const now = deps.clock.now();
  const timestamp = now.toISOString();
  const uploadId = deps.newId();
  const objectKey = uploadObjectKey(requester.userId, uploadId);
  const form = await deps.signer.presignPost({
    key: objectKey,
    contentType: input.contentType,
    maxBytes: input.contentLength,
    expiresInSeconds: uploadFormSeconds,
  });
  // An upload never made leaves nothing: its record, its PENDING image and its object expire together.
  const expiresAt = Math.floor(now.getTime() / 1000) + uploadExpiryDays * day;
  const describe = input.purpose === 'describe';
  const imageId = describe ? deps.newId() : undefined;
  const descriptionJobId = describe ? deps.newId() : undefined;
  const upload: UploadRecord = {
    uploadId,
    ownerId: requester.userId,
    ownerName: requester.displayName,
    purpose: input.purpose,
    contentType: input.contentType,
    contentLength: input.contentLength,
    objectKey,
    status: 'PENDING',
    ...(imageId ? { imageId, descriptionJobId } : {}),
    correlationId: options.correlationId,
    expiresAt,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  const pendingImage: ImageRecord | undefined = imageId
    ? {
        imageId,
        ownerId: requester.userId,
        ownerName: requester.displayName,
        kind: 'uploaded',
        status: 'PENDING',
        descriptionStatus: 'PENDING',
        descriptionJobId,
        isPublic: false,
        width: 0,
        height: 0,
        contentType: input.contentType,
        ...imageObjectKeys(imageId, format),
        commentCount: 0,
        expiresAt,
        createdAt: timestamp,
        updatedAt: timestamp,
      }
    : undefined;
  await deps.uploads.create(upload, pendingImage, {
    expiresAt: Math.floor(now.getTime() / 1000) + uploadFormSeconds,
    maxPending: maxPendingUploadTickets,
  });
  return {
    uploadId,
    ...(imageId ? { imageId } : {}),
    url: form.url,
    fields: form.fields,
    expiresAt: new Date(now.getTime() + uploadFormSeconds * 1000).toISOString(),
    maxBytes: input.contentLength,
  };
}
