import type { ImageRecord } from '../images/image.ts';
import type { Job, JobError, JobMessage, JobStatus } from './jobs.ts';

export type PageKey = Record<string, unknown>;

export interface Page<T> {
  readonly items: T[];
  readonly lastKey?: PageKey;
}

export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly response: unknown;
}

export interface JobStore {
  /**
   * Writes the job, takes its images from the owner's daily quota and keeps the
   * idempotency key, all in one transaction: either all happen or none.
   * Throws `QuotaExceededError` when the quota would be passed.
   */
  accept(input: {
    job: Job;
    quotaPerDay: number;
    idempotency?: { key: string; record: IdempotencyRecord; expiresAt: number };
  }): Promise<void>;
  get(jobId: string): Promise<Job | undefined>;
  /** QUEUED → RUNNING; a job already RUNNING (a retry) is answered as it is. */
  start(job: Job, now: string): Promise<Job>;
  /** RUNNING → SUCCEEDED with the images made. */
  succeed(job: Job, imageIds: readonly string[], now: string): Promise<void>;
  /**
   * QUEUED or RUNNING → FAILED, and the quota the job held is given back, in one
   * transaction. Answers false when the job had finished already (nothing changes).
   */
  fail(jobId: string, error: JobError, now: string): Promise<boolean>;
  listByOwner(
    ownerId: string,
    options: { status?: JobStatus; limit: number; startKey?: PageKey },
  ): Promise<Page<Job>>;
  findIdempotency(ownerId: string, key: string): Promise<IdempotencyRecord | undefined>;
  forgetIdempotency(ownerId: string, key: string): Promise<void>;
}

export interface ImageStore {
  /** Writes the record unless one with its id exists; answers whether it wrote. */
  putIfAbsent(image: ImageRecord): Promise<boolean>;
  get(imageId: string): Promise<ImageRecord | undefined>;
  /** Which of these ids have a record already. */
  existing(imageIds: readonly string[]): Promise<Set<string>>;
}

export interface ObjectStorage {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** A short-lived URL that lets its holder GET the object. */
  signedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
}

export interface JobQueue {
  send(message: JobMessage, correlationId: string): Promise<void>;
}

export interface ImageGenerationRequest {
  readonly model: string;
  readonly prompt: string;
  readonly size: string;
  readonly quality: string;
  readonly n: number;
}

export interface ImageProvider {
  generate(request: ImageGenerationRequest): Promise<Uint8Array[]>;
}

export interface ImageFacts {
  readonly width: number;
  readonly height: number;
  readonly format: 'png' | 'jpeg' | 'webp';
}

export interface ImageProcessor {
  inspect(bytes: Uint8Array): Promise<ImageFacts>;
  thumbnail(bytes: Uint8Array): Promise<Uint8Array>;
}

export type IdGenerator = () => string;
