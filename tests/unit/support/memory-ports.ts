import type { Job, JobError } from '../../../shared/domain/generation/jobs.ts';
import type {
  IdempotencyRecord,
  ImageProcessor,
  ImageStore,
  JobStore,
  ObjectStorage,
} from '../../../shared/domain/generation/ports.ts';
import type { ImageRecord } from '../../../shared/domain/images/image.ts';
import { QuotaExceededError } from '../../../shared/errors.ts';

/** In-memory ports with the same conditional behaviour as the DynamoDB and S3 adapters. */
export function memoryJobStore() {
  const jobs = new Map<string, Job>();
  const usage = new Map<string, number>();
  const idempotency = new Map<string, IdempotencyRecord>();
  const store: JobStore = {
    async accept({ job, quotaPerDay, idempotency: key }) {
      const usageKey = `${job.ownerId}/${job.quota.day}`;
      const used = usage.get(usageKey) ?? 0;
      if (used + job.quota.images > quotaPerDay) throw new QuotaExceededError('over quota', 60);
      usage.set(usageKey, used + job.quota.images);
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
      if (current.status === 'RUNNING')
        jobs.set(job.jobId, { ...current, status: 'SUCCEEDED', imageIds, updatedAt: now });
    },
    async fail(jobId, error: JobError, now) {
      const current = jobs.get(jobId);
      if (!current || (current.status !== 'QUEUED' && current.status !== 'RUNNING')) return false;
      jobs.set(jobId, { ...current, status: 'FAILED', error, updatedAt: now });
      const usageKey = `${current.ownerId}/${current.quota.day}`;
      usage.set(usageKey, (usage.get(usageKey) ?? 0) - current.quota.images);
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
  const store: ImageStore = {
    async putIfAbsent(image) {
      if (images.has(image.imageId)) return false;
      images.set(image.imageId, image);
      return true;
    },
    async get(imageId) {
      return images.get(imageId);
    },
    async existing(imageIds) {
      return new Set(imageIds.filter((id) => images.has(id)));
    },
  };
  return { store, images };
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
    async signedGetUrl(key, expiresInSeconds) {
      return `https://signed.example/${key}?expires=${expiresInSeconds}`;
    },
  };
  return { storage, objects };
}

/** Treats the first byte as the width in tens of pixels: enough to tell images apart. */
export const fakeProcessor: ImageProcessor = {
  async inspect(bytes) {
    return { width: bytes[0]! * 10, height: bytes[0]! * 10, format: 'png' };
  },
  async thumbnail(bytes) {
    return bytes.slice(0, 1);
  },
};

export const fixedClock = (iso = '2026-11-22T09:00:00.000Z') => ({ now: () => new Date(iso) });

export function sequentialIds(prefix = 'ID') {
  let next = 0;
  return () => `${prefix}${String(++next).padStart(4, '0')}`;
}
