import { stagedUploadPrefix, uploadPrefix } from '../../resources.ts';
import type { JobError } from '../generation/jobs.ts';
import type { ImageRecord } from '../images/image.ts';

export type UploadPurpose = 'describe' | 'edit' | 'mask';
export type UploadStatus = 'PENDING' | 'READY' | 'FAILED';

/** An upload announced with `POST /api/uploads`, before and after its bytes land. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly purpose: UploadPurpose;
  /** As declared; the bytes decide what the file really is. */
  readonly contentType: string;
  readonly contentLength: number;
  readonly objectKey: string;
  readonly status: UploadStatus;
  /** `describe`: the image the upload becomes, and the job planned to describe it. */
  readonly imageId?: string;
  readonly descriptionJobId?: string;
  /** `edit` and `mask`, once READY: the validated PNG, its size. */
  readonly stagedKey?: string;
  readonly width?: number;
  readonly height?: number;
  readonly error?: JobError;
  readonly correlationId?: string;
  /** Epoch seconds after which the upload is gone (TTL); its objects expire with it. */
  readonly expiresAt: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type UploadOutcome =
  | { readonly status: 'READY'; readonly stagedKey?: string; readonly width: number; readonly height: number }
  | { readonly status: 'FAILED'; readonly error: JobError };

export interface UploadStore {
  /**
   * Writes the upload, and the PENDING image it becomes when there is one, together, with
   * its ticket among the owner's pending ones until `ticket.expiresAt` (epoch seconds).
   * Throws `RateLimitedError` when the owner holds `ticket.maxPending` already.
   */
  create(
    upload: UploadRecord,
    pendingImage: ImageRecord | undefined,
    ticket: { readonly expiresAt: number; readonly maxPending: number },
  ): Promise<void>;
  /** The upload arrived (or failed): its ticket no longer counts as pending. */
  releaseTicket(ownerId: string, uploadId: string): Promise<void>;
  get(uploadId: string): Promise<UploadRecord | undefined>;
  /** PENDING → READY or FAILED; answers false when it was not PENDING. */
  settle(uploadId: string, outcome: UploadOutcome, now: string): Promise<boolean>;
}

/** The fields and URL of a presigned POST: a browser posts them, then the file, to `url`. */
export interface PresignedPost {
  readonly url: string;
  readonly fields: Record<string, string>;
}

export interface UploadSigner {
  /** A form that stores one object of exactly this type and at most `maxBytes` under `key`. */
  presignPost(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<PresignedPost>;
}

/** Uploads land under the owner's id, so a key names whose it is. */
export function uploadObjectKey(ownerId: string, uploadId: string): string {
  return `${uploadPrefix}${ownerId}/${uploadId}`;
}

export function parseUploadObjectKey(key: string): { ownerId: string; uploadId: string } | undefined {
  const match = new RegExp(`^${uploadPrefix}([^/]+)/([^/]+)$`).exec(key);
  return match ? { ownerId: match[1]!, uploadId: match[2]! } : undefined;
}

export function stagedObjectKey(uploadId: string): string {
  return `${stagedUploadPrefix}${uploadId}.png`;
}

/** DynamoDB's TTL removes items some time after they expire; until then they do not count. */
export function isExpired(upload: Pick<UploadRecord, 'expiresAt'>, now: Date): boolean {
  return upload.expiresAt * 1000 <= now.getTime();
}
