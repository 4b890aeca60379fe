/**
 * A job is paid work done by a worker. Its status only moves forward:
 * QUEUED → RUNNING → SUCCEEDED | FAILED (and QUEUED → FAILED when it never ran).
 */
export type JobType = 'generation' | 'edit' | 'portrait' | 'description';
export type JobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export const jobStatuses: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'];

export interface JobError {
  readonly code: string;
  /** For the person: what happened and what to do. */
  readonly message: string;
  /** For operators: the provider's own words, when it gave any. */
  readonly details?: readonly { readonly reason: string }[];
}

export interface GenerationRequest {
  readonly prompt: string;
  readonly style?: string;
  readonly size: string;
  readonly quality: string;
  readonly n: number;
  readonly negativePrompt?: string;
  readonly characterId?: string;
}

export interface EditRequest {
  readonly prompt: string;
  /** A size of the settings, or `auto` for the source's own. */
  readonly size: string;
  readonly n: number;
  /** The image that was edited, when the source was one (not a bare upload). */
  readonly parentImageId?: string;
}

export interface DescriptionRequest {
  readonly imageId: string;
}

/** The day and count of the quota a job holds; given back if it fails. */
export interface QuotaHold {
  readonly day: string;
  readonly images: number;
}

/** A description's hold on the day's allowance of descriptions; given back if it fails. */
export interface DescriptionQuotaHold {
  readonly day: string;
  readonly descriptions: number;
}

/** The usage counter a hold takes from, and how much. */
export function heldQuota(hold: QuotaHold | DescriptionQuotaHold) {
  return 'images' in hold
    ? { counter: 'images' as const, count: hold.images }
    : { counter: 'descriptions' as const, count: hold.descriptions };
}

interface JobBase {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly model: string;
  /** The images a finished job made (or, for a description, described); empty until it succeeds. */
  readonly imageIds: readonly string[];
  /** Images count against the daily image quota, descriptions against their own allowance. */
  readonly quota?: QuotaHold | DescriptionQuotaHold;
  readonly correlationId?: string;
  readonly error?: JobError;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Work that makes images, with their ids chosen when it is accepted so that a retry reuses them. */
interface ImageMakingJob extends JobBase {
  readonly plannedImageIds: readonly string[];
  readonly quota: QuotaHold;
}

export interface GenerationJob extends ImageMakingJob {
  readonly type: 'generation';
  readonly request: GenerationRequest;
  /** The exact text sent to the model, fixed when the job is accepted. */
  readonly modelPrompt: string;
}

/** A character's portrait: a generation whose request names the character. */
export interface PortraitJob extends Omit<GenerationJob, 'type'> {
  readonly type: 'portrait';
  /** The character's name when it was accepted (absent on jobs from before it was kept). */
  readonly title?: string;
}

export interface EditJob extends ImageMakingJob {
  readonly type: 'edit';
  readonly request: EditRequest;
  /** The source (PNG, RGBA) and mask as the model takes them, stored under the job. */
  readonly sourceKey: string;
  readonly maskKey?: string;
}

export interface DescriptionJob extends JobBase {
  readonly type: 'description';
  /** Absent on descriptions accepted before they had an allowance. */
  readonly quota?: DescriptionQuotaHold;
  readonly request: DescriptionRequest;
}

export type Job = GenerationJob | PortraitJob | EditJob | DescriptionJob;

export const isFinished = (status: JobStatus) => status === 'SUCCEEDED' || status === 'FAILED';

/** What a job message on the queue carries: the job is the source of truth. */
export interface JobMessage {
  readonly jobId: string;
  readonly type: JobType;
}

/** The job as the API shows it. */
export function jobView(job: Job) {
  return {
    jobId: job.jobId,
    type: job.type,
    status: job.status,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.error ? { error: job.error } : {}),
    imageIds: [...job.imageIds],
  };
}
