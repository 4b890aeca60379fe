/**
 * A job is paid work done by a worker. Its status only moves forward:
 * QUEUED → RUNNING → SUCCEEDED | FAILED (and QUEUED → FAILED when it never ran).
 */
export type JobType = 'generation' | 'edit' | 'portrait' | 'description';
export type JobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export const jobStatuses: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'];

export interface JobError {
  readonly code: string;
  readonly message: string;
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

export interface Job {
  readonly jobId: string;
  readonly type: JobType;
  readonly status: JobStatus;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly request: GenerationRequest;
  /** The exact text sent to the model, fixed when the job is accepted. */
  readonly modelPrompt: string;
  readonly model: string;
  /** The ids of the images the job makes, chosen when it is accepted so that a retry reuses them. */
  readonly plannedImageIds: readonly string[];
  /** The images a finished job made; empty until it succeeds. */
  readonly imageIds: readonly string[];
  /** The day and count of the quota the job holds; given back if it fails. */
  readonly quota: { readonly day: string; readonly images: number };
  readonly correlationId?: string;
  readonly error?: JobError;
  readonly createdAt: string;
  readonly updatedAt: string;
}

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
