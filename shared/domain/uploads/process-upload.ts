import {
  InvalidImageError,
  PayloadTooLargeError,
  QuotaExceededError,
  UnsupportedMediaTypeError,
} from '../../errors.ts';
import { logger } from '../../logger.ts';
import { type RequestDescriptionDeps, requestDescription } from '../descriptions/descriptions.ts';
import type { JobError } from '../generation/jobs.ts';
import type { ImageRecord } from '../images/image.ts';
import { checkSize, sniffImage } from '../images/sniff.ts';
import { type ImageObjectDeps, storeImageObjects } from '../images/store-image.ts';
import { parseUploadObjectKey, stagedObjectKey, type UploadRecord, type UploadStore } from './upload.ts';

export interface ProcessUploadDeps extends RequestDescriptionDeps, ImageObjectDeps {
  readonly uploads: UploadStore;
}

export type ProcessUploadOutcome = 'ready' | 'failed' | 'ignored' | 'already-processed';

/** What is wrong with the file itself: the upload fails with the reason, and no retry can help. */
const isRejection = (
  error: unknown,
): error is InvalidImageError | UnsupportedMediaTypeError | PayloadTooLargeError =>
  error instanceof InvalidImageError ||
  error instanceof UnsupportedMediaTypeError ||
  error instanceof PayloadTooLargeError;

/**
 * Processes an object that landed under `uploads/`: the bytes are judged by their magic
 * numbers, decoded within the pixel limit and re-encoded without metadata. A `describe`
 * upload becomes its READY image (with a thumbnail) and a queued description; an `edit`
 * or `mask` upload is staged as the PNG the model takes, for `POST /api/edits`. A bad file
 * ends FAILED with its reason; other errors are thrown for the queue to retry. The raw
 * object is removed once the upload is settled, so nothing with EXIF or GPS stays.
 *
 * Safe to run again for the same object: every step is idempotent and the upload is
 * settled last.
 */
export async function processUpload(
  deps: ProcessUploadDeps,
  objectKey: string,
): Promise<ProcessUploadOutcome> {
  const upload = await uploadOf(deps, objectKey);
  if (!upload) {
    logger.warn('an object under uploads/ that no upload announced; removed', { objectKey });
    await deps.storage.delete([objectKey]);
    return 'ignored';
  }
  if (upload.correlationId) logger.appendKeys({ correlationId: upload.correlationId });
  if (upload.status !== 'PENDING') {
    // A redelivered event, or the same form posted again: the first file was processed.
    await deps.storage.delete([objectKey]);
    return 'already-processed';
  }
  const bytes = await deps.storage.get(objectKey);
  if (!bytes) {
    logger.warn('the uploaded object is gone before it was processed', { objectKey });
    return 'ignored';
  }

  let outcome: ProcessUploadOutcome;
  try {
    // S3 enforces the declared size in AWS; this holds wherever the policy is not enforced.
    checkSize(bytes, upload.contentLength, 'Announce the real size with POST /api/uploads.');
    await sniffImage(bytes);
    outcome =
      upload.purpose === 'describe' ? await keepImage(deps, upload, bytes) : await stage(deps, upload, bytes);
  } catch (error) {
    if (!isRejection(error)) throw error;
    logger.info('upload refused', { uploadId: upload.uploadId, code: error.code, reason: error.message });
    await failUpload(deps, upload, { code: error.code, message: error.message });
    outcome = 'failed';
  }
  await deps.uploads.releaseTicket(upload.ownerId, upload.uploadId);
  await deps.storage.delete([objectKey]);
  logger.info('upload processed', { uploadId: upload.uploadId, purpose: upload.purpose, outcome });
  return outcome;
}

/** The upload an object belongs to: announced, and by the owner its key names. */
async function uploadOf(deps: Pick<ProcessUploadDeps, 'uploads'>, objectKey: string) {
  const ref = parseUploadObjectKey(objectKey);
  const upload = ref && (await deps.uploads.get(ref.uploadId));
  return upload && upload.ownerId === ref.ownerId && upload.objectKey === objectKey ? upload : undefined;
}

async function keepImage(deps: ProcessUploadDeps, upload: UploadRecord, bytes: Uint8Array) {
  const now = () => deps.clock.now().toISOString();
  let image = await deps.images.get(upload.imageId!);
  if (image?.status === 'FAILED') {
    // An earlier attempt refused the file and stopped before the upload was settled.
    await deps.uploads.settle(upload.uploadId, { status: 'FAILED', error: image.error! }, now());
    return 'failed';
  }
  if (image?.status === 'PENDING') {
    const stored = await storeImageObjects(deps, image.imageId, await deps.processor.normalize(bytes));
    const { expiresAt: _pendingOnly, ...pending } = image;
    const ready: ImageRecord = { ...pending, status: 'READY', ...stored, updatedAt: now() };
    if (await deps.images.settle(ready)) {
      image = ready;
    } else {
      // Another delivery of the event settled it first, or the owner deleted it meanwhile.
      image = await deps.images.get(image.imageId);
      if (image?.originalKey !== stored.originalKey)
        await deps.storage.delete([stored.originalKey, stored.thumbnailKey, stored.displayKey]);
    }
  }
  if (image?.status !== 'READY') {
    const error = {
      code: 'IMAGE_DELETED',
      message: 'The image was deleted before its upload was processed.',
    };
    await deps.uploads.settle(upload.uploadId, { status: 'FAILED', error }, now());
    return 'failed';
  }
  await ensureDescription(deps, upload, image);
  await deps.uploads.settle(
    upload.uploadId,
    { status: 'READY', width: image.width, height: image.height },
    now(),
  );
  return 'ready';
}

/** The description planned for the upload, queued once even if an earlier attempt stopped half-way. */
async function ensureDescription(deps: ProcessUploadDeps, upload: UploadRecord, image: ImageRecord) {
  const jobId = upload.descriptionJobId!;
  const correlationId = upload.correlationId ?? upload.uploadId;
  const job = await deps.jobs.get(jobId);
  if (!job) {
    // Past the day's allowance the image is kept; its description says why there is none.
    await requestDescription(deps, image, { correlationId, jobId }).catch((error: unknown) => {
      if (!(error instanceof QuotaExceededError)) throw error;
      logger.info('no description: the allowance of the day is used', { imageId: image.imageId });
    });
  } else if (job.status === 'QUEUED') {
    // Accepted, but the attempt may have stopped before its message was sent; a second one is harmless.
    await deps.queue.send({ jobId, type: 'description' }, correlationId);
  }
}

async function stage(deps: ProcessUploadDeps, upload: UploadRecord, bytes: Uint8Array) {
  const prepared =
    upload.purpose === 'mask' ? await deps.processor.mask(bytes) : await deps.processor.editable(bytes);
  const stagedKey = stagedObjectKey(upload.uploadId);
  await deps.storage.put(stagedKey, prepared.bytes, 'image/png');
  await deps.uploads.settle(
    upload.uploadId,
    { status: 'READY', stagedKey, width: prepared.width, height: prepared.height },
    deps.clock.now().toISOString(),
  );
  return 'ready' as const;
}

export interface FailUploadDeps {
  readonly uploads: UploadStore;
  readonly images: ProcessUploadDeps['images'];
  readonly clock: ProcessUploadDeps['clock'];
}

/** The upload, and the image it was to become, end FAILED with the reason; nothing is left PENDING. */
async function failUpload(deps: FailUploadDeps, upload: UploadRecord, error: JobError) {
  const now = deps.clock.now().toISOString();
  const image = upload.imageId ? await deps.images.get(upload.imageId) : undefined;
  if (image?.status === 'PENDING') {
    const { expiresAt: _pendingOnly, ...pending } = image;
    await deps.images.settle({
      ...pending,
      status: 'FAILED',
      descriptionStatus: 'FAILED',
      error,
      updatedAt: now,
    });
  }
  await deps.uploads.settle(upload.uploadId, { status: 'FAILED', error }, now);
}

/**
 * For an upload whose processing kept failing (its event reached the dead-letter queue):
 * it fails with the reason, unless it was settled after all. The raw object expires with
 * the uploads/ lifecycle rule.
 */
export async function failUploadOfObject(deps: FailUploadDeps, objectKey: string, error: JobError) {
  const upload = await uploadOf(deps, objectKey);
  if (upload?.status !== 'PENDING') return false;
  await failUpload(deps, upload, error);
  return true;
}
