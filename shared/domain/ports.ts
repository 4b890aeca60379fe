import type { CharacterCounters, CharacterRecord } from './characters/ports.ts';
import type { Job, JobError, JobMessage, JobStatus } from './generation/jobs.ts';
import type { ImageFormat, ImageRecord } from './images/image.ts';

/**
 * The ports more than one part of the domain uses: time, ids, pages, the image records and
 * their objects, jobs and their queue, the image models, and the characters' store. Each
 * part's own ports stay in its folder.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type PageKey = Record<string, unknown>;

export interface Page<T> {
  readonly items: T[];
  readonly lastKey?: PageKey;
}

/**
 * Seals a page's last key into a cursor bound to its listing, and opens it again; a forged
 * cursor, or one from another listing, is refused with `BadCursorError`.
 */
export interface CursorCodec {
  encode(lastKey: PageKey | undefined, binding: string): string | null;
  decode(cursor: string | undefined, binding: string): PageKey | undefined;
}

export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly response: unknown;
}

export interface JobStore {
  /**
   * Writes the job, takes what it holds from the owner's daily usage (images, or
   * descriptions) and keeps the idempotency key, all in one transaction: either all happen
   * or none. Throws `QuotaExceededError` when the day's limit would be passed.
   */
  accept(input: {
    job: Job;
    /** Required for a job that holds quota: the day's limit of the counter it takes from. */
    quotaPerDay?: number;
    idempotency?: { key: string; record: IdempotencyRecord; expiresAt: number };
  }): Promise<void>;
  get(jobId: string): Promise<Job | undefined>;
  /** QUEUED → RUNNING; a job already RUNNING (a retry) is answered as it is. */
  start(job: Job, now: string): Promise<Job>;
  /** RUNNING → SUCCEEDED with the images made; answers false when it was not RUNNING (nothing changes). */
  succeed(job: Job, imageIds: readonly string[], now: string): Promise<boolean>;
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

export type DescriptionOutcome =
  | { readonly status: 'READY'; readonly description: string }
  | { readonly status: 'FAILED'; readonly error: JobError };

export interface ImageStore {
  /** Writes the record unless one with its id exists; answers whether it wrote. */
  putIfAbsent(image: ImageRecord): Promise<boolean>;
  /** Replaces a PENDING record with its final form; answers false when it was not PENDING. */
  settle(image: ImageRecord): Promise<boolean>;
  get(imageId: string): Promise<ImageRecord | undefined>;
  /** The records of these images that exist, by id: one BatchGetItem per 100 ids. */
  getMany(imageIds: readonly string[]): Promise<Map<string, ImageRecord>>;
  /** Which of these ids have a record already. */
  existing(imageIds: readonly string[]): Promise<Set<string>>;
  /**
   * The image waits for this description job (its current description stays until
   * replaced), unless it waits for another one already (other than `replacing`): then
   * nothing changes and the id of that job is answered.
   */
  startDescription(
    imageId: string,
    jobId: string,
    now: string,
    replacing?: string,
  ): Promise<string | undefined>;
  /** Records the job's answer, unless the image waits for another job by now; answers whether it did. */
  finishDescription(
    imageId: string,
    jobId: string,
    outcome: DescriptionOutcome,
    now: string,
  ): Promise<boolean>;
  /** Marks the image DELETING and takes it out of every listing; a retried delete finds it so. */
  markDeleting(imageId: string, now: string): Promise<void>;
  /** Removes every item of the image (its comments, then the image itself). */
  deleteAll(imageId: string): Promise<void>;
}

export interface ObjectStorage {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when there is no such object. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes the objects; a key that does not exist is not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /** Copies an object within the bucket, keeping its content type and caching. */
  copy(from: string, to: string): Promise<void>;
  /**
   * A short-lived URL that lets its holder GET the object; with `contentDisposition`,
   * storage answers it with that `Content-Disposition` (a download under a file name).
   */
  signedGetUrl(key: string, expiresInSeconds: number, contentDisposition?: string): Promise<string>;
}

/**
 * The CDN in front of the public copies: what it caches of a path it keeps serving
 * until told to forget it, even after the object is gone.
 */
export interface PublicCache {
  /** Asks every edge to drop these paths (`/img/...`); they are fetched from the origin again. */
  invalidate(paths: readonly string[]): Promise<void>;
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

export interface ImageEditRequest {
  readonly model: string;
  /** PNG with an alpha channel. */
  readonly image: Uint8Array;
  /** PNG of the image's size; transparent where the image should change. */
  readonly mask?: Uint8Array;
  readonly prompt: string;
  readonly size: string;
  readonly n: number;
}

export interface ImageProvider {
  generate(request: ImageGenerationRequest): Promise<Uint8Array[]>;
  edit(request: ImageEditRequest): Promise<Uint8Array[]>;
}

export interface ImageDescriptionRequest {
  readonly model: string;
  /** What the model is asked to write. */
  readonly prompt: string;
  readonly image: Uint8Array;
  readonly contentType: string;
}

/** A vision model that puts an image into words. */
export interface ImageDescriber {
  describe(request: ImageDescriptionRequest): Promise<string>;
}

export interface ImageFacts {
  readonly width: number;
  readonly height: number;
  readonly format: ImageFormat;
}

/** Image bytes with what they are. */
export interface PreparedImage extends ImageFacts {
  readonly bytes: Uint8Array;
}

/**
 * Decoding and encoding of image bytes. Every method decodes within the pixel limit and
 * throws `InvalidImageError` with the reason for bytes it cannot use.
 */
export interface ImageProcessor {
  inspect(bytes: Uint8Array): Promise<ImageFacts>;
  thumbnail(bytes: Uint8Array): Promise<Uint8Array>;
  /** The copy people view on a page: WebP at the original's size (at most 2048 px), far lighter than a PNG. */
  display(bytes: Uint8Array): Promise<Uint8Array>;
  /** Upright (EXIF orientation applied) and re-encoded in its own format without any metadata. */
  normalize(bytes: Uint8Array): Promise<PreparedImage>;
  /** An edit source as image models take it: upright PNG with an alpha channel. */
  editable(bytes: Uint8Array): Promise<PreparedImage>;
  /** An edit mask: like `editable`, but the input must have an alpha channel of its own. */
  mask(bytes: Uint8Array): Promise<PreparedImage>;
}

export type IdGenerator = () => string;

export interface CharacterStore {
  /** Writes the character and counts it in the owner's statistics, together. */
  create(character: CharacterRecord): Promise<void>;
  get(characterId: string): Promise<CharacterRecord | undefined>;
  listByOwner(
    ownerId: string,
    options: { limit: number; startKey?: PageKey },
  ): Promise<Page<CharacterRecord>>;
  /**
   * Writes the attributes of `after` (never its portrait fields), moving the statistics
   * with them; throws `ConflictError` if gender or age changed meanwhile.
   */
  replace(before: CharacterRecord, after: CharacterRecord): Promise<void>;
  /** Makes `jobId` the character's newest portrait job (QUEUED); older jobs can no longer change it. */
  claimPortrait(characterId: string, jobId: string): Promise<void>;
  /** Removes the character and its place in the statistics, together. */
  delete(character: CharacterRecord): Promise<void>;
  counters(ownerId: string): Promise<CharacterCounters>;
  /**
   * Moves the portrait of the job `jobId` along (`updatedAt` stays the time of the last
   * change of attributes); a job that is no longer the character's newest changes nothing.
   */
  portraitProgress(
    characterId: string,
    jobId: string,
    change:
      | { status: 'RUNNING' }
      | { status: 'READY'; imageId: string }
      | { status: 'FAILED'; error: JobError },
  ): Promise<{ applied: boolean; previousImageId?: string }>;
}
