import { logger } from '../../logger.ts';
import type { Clock, JobStore } from '../ports.ts';
import { isFinished, type Job, type JobError } from './jobs.ts';
import { ProviderRefusal } from './provider-errors.ts';

export type RunOutcome = 'succeeded' | 'failed' | 'already-finished' | 'missing';

/** Provider latency, images made and refusals, for metrics. */
export type Observer = (
  event:
    | { name: 'provider'; milliseconds: number; ok: boolean }
    | { name: 'images'; count: number }
    | { name: 'refused'; code: ProviderRefusal['code'] },
) => void;

export interface RunJobDeps {
  readonly jobs: JobStore;
  readonly clock: Clock;
  readonly observe?: Observer;
}

/**
 * Takes the job of a message QUEUED → RUNNING, or tells why there is nothing to do: no
 * such job, one of another type, or one that has finished (a redelivered message). A job
 * already RUNNING is answered as it is, so a worker that died half-way is taken over.
 */
export async function startJob<T extends Job['type']>(
  deps: RunJobDeps,
  jobId: string,
  type: T,
): Promise<Extract<Job, { type: T }> | RunOutcome> {
  const found = await deps.jobs.get(jobId);
  if (!found || found.type !== type) {
    logger.warn('job message for no such job', { jobId, jobType: type, found: found?.type });
    return 'missing';
  }
  if (isFinished(found.status)) return 'already-finished';
  const job = await deps.jobs.start(found, deps.clock.now().toISOString());
  if (isFinished(job.status)) return 'already-finished';
  // Kept by identity, and a store may answer the same object each time: set either way.
  if (found.status === 'QUEUED') startedFromQueued.add(job);
  else startedFromQueued.delete(job);
  return job as Extract<Job, { type: T }>;
}

/** Jobs `startJob` found QUEUED: no worker had started them, so none of their images exist yet. */
const startedFromQueued = new WeakSet<Job>();

/**
 * Whether the job may have some of its images already: not when `startJob` found it QUEUED
 * (images are only made once a job is RUNNING); a job found RUNNING was left half-way.
 */
export const mayHaveImages = (job: Job) => !startedFromQueued.has(job);

/** Calls the provider, reporting its latency and whether it answered. */
export async function observed<T>(deps: RunJobDeps, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await call();
    deps.observe?.({ name: 'provider', milliseconds: Date.now() - started, ok: true });
    return result;
  } catch (error) {
    deps.observe?.({ name: 'provider', milliseconds: Date.now() - started, ok: false });
    throw error;
  }
}

/**
 * What a failed provider call means for the job: a `ProviderRefusal` fails it at once
 * (through `fail`, which gives its quota back); anything else is thrown on for the queue
 * to retry.
 */
/**
 * The provider's refusals in words for people; its own text, written for developers, goes to
 * `details`. An INVALID_SOURCE is ours to word already (the source is gone).
 */
const refusalInWords: Partial<Record<ProviderRefusal['code'], string>> = {
  MODERATION_BLOCKED:
    "The image provider's safety system refused this prompt or image. Reword it and try again; refused requests do not count against your quota.",
  INVALID_REQUEST:
    'The image provider did not accept this request. Try again with other settings; if it keeps happening, tell the people who run this Easel.',
};

export async function failIfRefused(
  deps: RunJobDeps,
  error: unknown,
  fail: (error: JobError) => Promise<unknown>,
): Promise<void> {
  if (!(error instanceof ProviderRefusal)) throw error;
  deps.observe?.({ name: 'refused', code: error.code });
  logger.warn('the provider refused the work', { code: error.code, reason: error.message });
  await fail({
    code: error.code,
    message: refusalInWords[error.code] ?? error.message,
    details: [{ reason: error.message }],
  });
}
