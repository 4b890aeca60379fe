import { QuotaExceededError, UpstreamUnavailableError } from '../../errors.ts';
import { logger } from '../../logger.ts';
import { type RequestDescriptionDeps, requestDescription } from '../descriptions/descriptions.ts';
import type { Requester } from '../generation/accept-job.ts';
import type { ImageRecord } from '../images/image.ts';
import { checkSize, sniffImage } from '../images/sniff.ts';
import { type ImageObjectDeps, storeImageObjects } from '../images/store-image.ts';
import { limits } from '../limits.ts';

const largerFilesInstead = 'Upload larger files straight to storage: POST /api/uploads.';

/** Told when the whole body is too big, before its file is read: the file's limit, and the way out. */
export const bodyTooLargeForImages = `Files up to ${limits.uploads.maxApiBytes / (1024 * 1024)} MB come through the API. ${largerFilesInstead}`;

export interface AddImageDeps extends RequestDescriptionDeps, ImageObjectDeps {}

export interface AddImageInput {
  readonly image: Uint8Array;
  readonly title?: string;
  readonly describe: boolean;
}

/**
 * A small image sent through the API (multipart or base64), kept at once: judged by its
 * bytes, decoded within the pixel limit, stored upright without metadata, thumbnailed,
 * and, unless asked not to, queued for a description.
 */
export async function addImage(
  deps: AddImageDeps,
  requester: Requester,
  input: AddImageInput,
  options: { correlationId: string },
): Promise<ImageRecord> {
  checkSize(input.image, limits.uploads.maxApiBytes, largerFilesInstead);
  await sniffImage(input.image);
  const imageId = deps.newId();
  const stored = await storeImageObjects(deps, imageId, await deps.processor.normalize(input.image));
  const timestamp = deps.clock.now().toISOString();
  const image: ImageRecord = {
    imageId,
    ownerId: requester.userId,
    ownerName: requester.displayName,
    kind: 'uploaded',
    status: 'READY',
    ...(input.title ? { title: input.title } : {}),
    descriptionStatus: 'NONE',
    isPublic: false,
    commentCount: 0,
    ...stored,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await deps.images.putIfAbsent(image);
  if (!input.describe) return image;
  try {
    const { jobId } = await requestDescription(deps, image, options);
    return { ...image, descriptionStatus: 'PENDING', descriptionJobId: jobId };
  } catch (error) {
    // The image is kept either way; its description can be asked for again (tomorrow, past the allowance).
    if (error instanceof QuotaExceededError) {
      return {
        ...image,
        descriptionStatus: 'FAILED',
        descriptionError: { code: error.code, message: error.message },
      };
    }
    if (!(error instanceof UpstreamUnavailableError)) throw error;
    logger.error('the description of a new image could not be queued', { imageId });
    return { ...image, descriptionStatus: 'FAILED' };
  }
}
