import { createHash } from 'node:crypto';
import { ConflictError, InvalidImageError, NotFoundError, ValidationError } from '../../errors.ts';
import { jobInputPrefix } from '../../resources.ts';
import { type AcceptedJob, type AcceptJobDeps, acceptJob, type Requester } from '../generation/accept-job.ts';
import type { EditJob } from '../generation/jobs.ts';
import { atMost, oneOf, throwIfInvalid } from '../generation/request-checks.ts';
import { getOwnImage } from '../images/image-queries.ts';
import { checkSize, sniffImage } from '../images/sniff.ts';
import { limits } from '../limits.ts';
import type { ImageProcessor, ImageStore, ObjectStorage, PreparedImage } from '../ports.ts';
import { isExpired, type UploadPurpose, type UploadStore } from '../uploads/upload.ts';

export interface EditSettings {
  readonly model: string;
  readonly sizes: readonly string[];
  readonly maxImagesPerRequest: number;
  readonly quotaPerDay: number;
}

export interface CreateEditDeps extends AcceptJobDeps {
  readonly images: ImageStore;
  readonly uploads: UploadStore;
  readonly storage: ObjectStorage;
  readonly processor: ImageProcessor;
  readonly settings: EditSettings;
}

/** One of my images, one of my `edit` uploads, or the bytes themselves (multipart). */
export type EditSource =
  | { readonly imageId: string }
  | { readonly uploadId: string }
  | { readonly bytes: Uint8Array };
/** One of my `mask` uploads, or the bytes themselves (multipart). */
export type EditMask = { readonly uploadId: string } | { readonly bytes: Uint8Array };

export interface EditInput {
  readonly source: EditSource;
  readonly mask?: EditMask;
  readonly prompt: string;
  readonly size?: string;
  readonly n?: number;
}

const viaUploads = 'Upload larger files straight to storage: POST /api/uploads.';

/**
 * Accepts an edit, with the quota and `Idempotency-Key` of any image-making job. The
 * source becomes the PNG with alpha the model takes, the mask is checked (alpha, and
 * exactly the source's size) and both are stored under the job, so a retry needs neither
 * the image nor the uploads they came from. The source itself is never changed.
 */
export async function createEdit(
  deps: CreateEditDeps,
  requester: Requester,
  input: EditInput,
  options: { idempotencyKey?: string; correlationId: string },
): Promise<AcceptedJob> {
  const { settings } = deps;
  const size = input.size ?? 'auto';
  const n = input.n ?? 1;
  throwIfInvalid([
    ...oneOf('size', size, ['auto', ...settings.sizes]),
    ...atMost('n', n, settings.maxImagesPerRequest),
  ]);

  const stored: string[] = [];
  const build = async ({ jobId, timestamp }: { jobId: string; timestamp: string }): Promise<EditJob> => {
    const source = await sourceOf(deps, requester.userId, input.source);
    const mask = input.mask && (await maskOf(deps, requester.userId, input.mask));
    if (mask && (mask.width !== source.width || mask.height !== source.height)) {
      throw new InvalidImageError(
        `The mask is ${mask.width}×${mask.height} pixels but the image is ${source.width}×${source.height}; they must be the same size.`,
        [{ field: 'mask', message: `must be ${source.width}×${source.height} pixels, like the image` }],
      );
    }
    const sourceKey = `${jobInputPrefix}${jobId}/source.png`;
    await deps.storage.put(sourceKey, source.bytes, 'image/png');
    stored.push(sourceKey);
    const maskKey = mask ? `${jobInputPrefix}${jobId}/mask.png` : undefined;
    if (mask && maskKey) {
      await deps.storage.put(maskKey, mask.bytes, 'image/png');
      stored.push(maskKey);
    }
    return {
      jobId,
      type: 'edit',
      status: 'QUEUED',
      ownerId: requester.userId,
      ownerName: requester.displayName,
      request: {
        prompt: input.prompt,
        size,
        n,
        ...('parentImageId' in source ? { parentImageId: source.parentImageId } : {}),
      },
      model: settings.model,
      plannedImageIds: Array.from({ length: n }, () => deps.newId()),
      imageIds: [],
      sourceKey,
      ...(maskKey ? { maskKey } : {}),
      quota: { day: timestamp.slice(0, 10), images: n },
      correlationId: options.correlationId,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
  };

  try {
    return await acceptJob(deps, requester.userId, build, {
      correlationId: options.correlationId,
      quotaPerDay: settings.quotaPerDay,
      ...(options.idempotencyKey
        ? { idempotency: { key: options.idempotencyKey, body: fingerprint(input, size, n) } }
        : {}),
    });
  } catch (error) {
    // A job that was refused (quota) or could not be queued leaves no inputs behind.
    if (stored.length) await deps.storage.delete(stored);
    throw error;
  }
}

async function sourceOf(
  deps: CreateEditDeps,
  ownerId: string,
  source: EditSource,
): Promise<PreparedImage & { parentImageId?: string }> {
  if ('imageId' in source) {
    const image = await getOwnImage(deps.images, ownerId, source.imageId);
    if (image.status !== 'READY') throw new ConflictError('The image is not ready to be edited.');
    const original = await deps.storage.get(image.originalKey);
    if (!original) throw new Error(`image ${image.imageId} has no original object`);
    return { ...(await deps.processor.editable(original)), parentImageId: image.imageId };
  }
  if ('uploadId' in source) return staged(deps, ownerId, source.uploadId, 'edit', 'uploadId');
  checkSize(source.bytes, limits.uploads.maxApiBytes, viaUploads);
  await sniffImage(source.bytes);
  return deps.processor.editable(source.bytes);
}

async function maskOf(deps: CreateEditDeps, ownerId: string, mask: EditMask): Promise<PreparedImage> {
  if ('uploadId' in mask) return staged(deps, ownerId, mask.uploadId, 'mask', 'maskUploadId');
  checkSize(mask.bytes, limits.uploads.maxApiBytes, viaUploads);
  await sniffImage(mask.bytes);
  return deps.processor.mask(mask.bytes);
}

/** A processed upload of mine for this purpose: the PNG the upload worker staged for it. */
async function staged(
  deps: CreateEditDeps,
  ownerId: string,
  uploadId: string,
  purpose: UploadPurpose,
  field: string,
): Promise<PreparedImage> {
  const upload = await deps.uploads.get(uploadId);
  if (!upload || upload.ownerId !== ownerId || isExpired(upload, deps.clock.now())) {
    throw new NotFoundError(`No such upload (${field}).`);
  }
  if (upload.purpose !== purpose) {
    throw new ValidationError(`${field} must name an upload made with purpose "${purpose}".`, [
      { field, message: `must be an upload with purpose "${purpose}"` },
    ]);
  }
  if (upload.status === 'PENDING') {
    throw new ConflictError(
      `The upload (${field}) has not been processed yet; try again in a moment.`,
      'UPLOAD_NOT_READY',
    );
  }
  const bytes = upload.stagedKey && (await deps.storage.get(upload.stagedKey));
  if (upload.status === 'FAILED' || !bytes) {
    const reason = upload.error?.message ?? 'it is no longer stored';
    throw new InvalidImageError(`The upload (${field}) cannot be used: ${reason}`, [
      { field, message: reason },
    ]);
  }
  return { bytes, width: upload.width!, height: upload.height!, format: 'png' };
}

/** What the idempotency key is bound to: the request, with files by their digest. */
function fingerprint(input: EditInput, size: string, n: number) {
  const of = (part: EditSource | EditMask | undefined) =>
    part && 'bytes' in part ? { sha256: createHash('sha256').update(part.bytes).digest('hex') } : part;
  return { source: of(input.source), mask: of(input.mask), prompt: input.prompt, size, n };
}
