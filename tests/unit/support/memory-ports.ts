import { heldQuota, type Job, type JobError } from '../../../shared/domain/generation/jobs.ts';
import type { ImageRecord } from '../../../shared/domain/images/image.ts';
import type {
  IdempotencyRecord,
  ImageProcessor,
  ImageStore,
  JobStore,
  ObjectStorage,
} from '../../../shared/domain/ports.ts';
import type { UploadRecord, UploadStore } from '../../../shared/domain/uploads/upload.ts';
import { QuotaExceededError, RateLimitedError } from '../../../shared/errors.ts';

/** In-memory ports with the same conditional behaviour as the DynamoDB and S3 adapters. */
export function memoryJobStore() {
  const jobs = new Map<string, Job>();
  const usage = new Map<string, number>();
  const idempotency = new Map<string, IdempotencyRecord>();
  const store: JobStore = {
    async accept({ job, quotaPerDay, idempotency: key }) {
      if (jobs.has(job.jobId)) throw new Error(`job ${job.jobId} exists`);
      if (job.quota) {
        const { counter, count } = heldQuota(job.quota);
        const usageKey = `${job.ownerId}/${job.quota.day}${counter === 'images' ? '' : `/${counter}`}`;
        const used = usage.get(usageKey) ?? 0;
        if (used + count > quotaPerDay!) throw new QuotaExceededError('over quota', 60);
        usage.set(usageKey, used + count);
      }
      jobs.set(job.jobId, job);
      if (key) idempotency.set(`${job.ownerId}/${key.key}`, key.record);
    },
    async get(jobId) {
      return jobs.get(jobId);
    },
    async start(job, now) {
      const current = jobs.get(job.jobId)!;
      if (current.status !== 'QUEUED') return current;
      const started = { ...current, status: 'RUNNING' as const, updatedAt: now };
      jobs.set(job.jobId, started);
      return started;
    },
    async succeed(job, imageIds, now) {
      const current = jobs.get(job.jobId)!;
      if (current.status !== 'RUNNING') return false;
      jobs.set(job.jobId, { ...current, status: 'SUCCEEDED', imageIds, updatedAt: now });
      return true;
    },
    async fail(jobId, error: JobError, now) {
      const current = jobs.get(jobId);
      if (!current || (current.status !== 'QUEUED' && current.status !== 'RUNNING')) return false;
      jobs.set(jobId, { ...current, status: 'FAILED', error, updatedAt: now });
      if (current.quota) {
        const { counter, count } = heldQuota(current.quota);
        const usageKey = `${current.ownerId}/${current.quota.day}${counter === 'images' ? '' : `/${counter}`}`;
        usage.set(usageKey, (usage.get(usageKey) ?? 0) - count);
      }
      return true;
    },
    async listByOwner(ownerId) {
      return { items: [...jobs.values()].filter((job) => job.ownerId === ownerId).reverse() };
    },
    async findIdempotency(ownerId, key) {
      return idempotency.get(`${ownerId}/${key}`);
    },
    async forgetIdempotency(ownerId, key) {
      idempotency.delete(`${ownerId}/${key}`);
    },
  };
  return { store, jobs, usage, idempotency };
}

export function memoryImageStore() {
  const images = new Map<string, ImageRecord>();
  /** Items of an image's partition other than the image (comments), by image id. */
  const comments = new Map<string, string[]>();
  const update = (imageId: string, change: Partial<ImageRecord>) => {
    const current = images.get(imageId);
    if (current) images.set(imageId, { ...current, ...change } as ImageRecord);
  };
  const store: ImageStore = {
    async putIfAbsent(image) {
      if (images.has(image.imageId)) return false;
      images.set(image.imageId, image);
      return true;
    },
    async settle(image) {
      if (images.get(image.imageId)?.status !== 'PENDING') return false;
      images.set(image.imageId, image);
      return true;
    },
    async get(imageId) {
      return images.get(imageId);
    },
    async getMany(imageIds) {
      return new Map(imageIds.flatMap((id) => (images.has(id) ? [[id, images.get(id)!] as const] : [])));
    },
    async existing(imageIds) {
      return new Set(imageIds.filter((id) => images.has(id)));
    },
    async startDescription(imageId, jobId, now, replacing) {
      if (!images.has(imageId)) throw new Error('ConditionalCheckFailed');
      const current = images.get(imageId)!;
      const waitsForAnother =
        current.descriptionStatus === 'PENDING' &&
        current.descriptionJobId !== undefined &&
        current.descriptionJobId !== jobId &&
        current.descriptionJobId !== replacing;
      if (waitsForAnother) return current.descriptionJobId;
      const { descriptionError: _cleared, ...image } = current;
      images.set(imageId, {
        ...image,
        descriptionStatus: 'PENDING',
        descriptionJobId: jobId,
        updatedAt: now,
      });
      return undefined;
    },
    async finishDescription(imageId, jobId, outcome, now) {
      if (images.get(imageId)?.descriptionJobId !== jobId) return false;
      update(
        imageId,
        outcome.status === 'READY'
          ? { descriptionStatus: 'READY', description: outcome.description, updatedAt: now }
          : { descriptionStatus: 'FAILED', descriptionError: outcome.error, updatedAt: now },
      );
      return true;
    },
    async markDeleting(imageId, now) {
      if (!images.has(imageId)) throw new Error('ConditionalCheckFailed');
      update(imageId, { status: 'DELETING', updatedAt: now });
    },
    async deleteAll(imageId) {
      comments.delete(imageId);
      images.delete(imageId);
    },
  };
  return { store, images, comments };
}

export function memoryStorage() {
  const objects = new Map<string, { body: Uint8Array; contentType: string }>();
  const storage: ObjectStorage & { failOnPut?: number } = {
    async put(key, body, contentType) {
      if (storage.failOnPut !== undefined && objects.size + 1 >= storage.failOnPut) {
        storage.failOnPut = undefined;
        throw new Error('the worker died');
      }
      objects.set(key, { body, contentType });
    },
    async get(key) {
      return objects.get(key)?.body;
    },
    async delete(keys) {
      for (const key of keys) objects.delete(key);
    },
    async copy(from, to) {
      const object = objects.get(from);
      if (!object) throw new Error(`no object ${from}`);
      objects.set(to, object);
    },
    async signedGetUrl(key, expiresInSeconds) {
      return `https://signed.example/${key}?expires=${expiresInSeconds}`;
    },
  };
  return { storage, objects };
}

/** Uploads; the PENDING image of an upload goes into `images`, as the table holds both. */
export function memoryUploadStore(images = new Map<string, ImageRecord>()) {
  const uploads = new Map<string, UploadRecord>();
  const pending = new Set<string>();
  const store: UploadStore = {
    async create(upload, pendingImage, ticket) {
      if (pending.size >= ticket.maxPending) throw new RateLimitedError('too many pending tickets', 60);
      pending.add(upload.uploadId);
      uploads.set(upload.uploadId, upload);
      if (pendingImage) images.set(pendingImage.imageId, pendingImage);
    },
    async releaseTicket(_ownerId, uploadId) {
      pending.delete(uploadId);
    },
    async get(uploadId) {
      return uploads.get(uploadId);
    },
    async settle(uploadId, outcome, now) {
      const current = uploads.get(uploadId);
      if (current?.status !== 'PENDING') return false;
      uploads.set(uploadId, { ...current, ...outcome, updatedAt: now });
      return true;
    },
  };
  return { store, uploads, pending };
}

/** Treats the first byte as the width in tens of pixels: enough to tell images apart. */
export const fakeProcessor: ImageProcessor = {
  async inspect(bytes) {
    return { width: bytes[0]! * 10, height: bytes[0]! * 10, format: 'png' };
  },
  async thumbnail(bytes) {
    return bytes.slice(0, 1);
  },
  async display(bytes) {
    return bytes.slice(0, 2);
  },
  async normalize(bytes) {
    return { bytes, ...(await fakeProcessor.inspect(bytes)) };
  },
  async editable(bytes) {
    return { bytes, ...(await fakeProcessor.inspect(bytes)) };
  },
  async mask(bytes) {
    return { bytes, ...(await fakeProcessor.inspect(bytes)) };
  },
};

export const fixedClock = (iso = '2026-11-22T09:00:00.000Z') => ({ now: () => new Date(iso) });

export function sequentialIds(prefix = 'ID') {
  let next = 0;
  return () => `${prefix}${String(++next).padStart(4, '0')}`;
}
