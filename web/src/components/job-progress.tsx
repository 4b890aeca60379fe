import { jobs } from '../api/endpoints.ts';
import type { ApiError } from '../api/errors.ts';
import { jobFailureMessage } from '../api/errors.ts';
import type { Job } from '../api/types.ts';
import { usePolling } from '../lib/use-polling.ts';
import { ErrorNotice } from './error-notice.tsx';

export const jobSettled = (job: Job) => job.status === 'SUCCEEDED' || job.status === 'FAILED';

/** A job, polled until it has SUCCEEDED or FAILED. */
export function useJob(jobId: string | undefined) {
  return usePolling(jobId, (id, signal) => jobs.get(id, signal), jobSettled);
}

const steps = [
  { status: 'QUEUED', label: 'Queued' },
  { status: 'RUNNING', label: 'Working' },
  { status: 'SUCCEEDED', label: 'Done' },
] as const;

const words: Record<Job['status'], string> = {
  QUEUED: 'Waiting for a worker…',
  RUNNING: 'The model is at work…',
  SUCCEEDED: 'Done.',
  FAILED: 'Failed.',
};

/** Where a job stands, announced as it changes; a failure says why in plain words. */
export function JobProgress({ job, error, what }: { job?: Job; error?: ApiError; what: string }) {
  const status = job?.status ?? 'QUEUED';
  const reached = steps.findIndex((step) => step.status === status);
  return (
    <section class="job-progress" aria-label={`Progress of the ${what}`}>
      <ol class="steps">
        {steps.map((step, index) => (
          <li
            key={step.status}
            class={index < reached ? 'done' : index === reached ? 'current' : undefined}
            aria-current={index === reached ? 'step' : undefined}
          >
            {step.label}
          </li>
        ))}
      </ol>
      {status !== 'FAILED' && (
        <progress max={1} value={status === 'SUCCEEDED' ? 1 : undefined} aria-label={`${what} progress`} />
      )}
      <p class="job-status" role="status">
        {job ? words[status] : 'Sending…'}
      </p>
      {status === 'FAILED' && (
        <div class="notice notice-error" role="alert">
          <p>{jobFailureMessage(job?.error)}</p>
          {job?.error && job.error.code === 'MODERATION_BLOCKED' && (
            <p class="provider-said">The provider said: {job.error.message}</p>
          )}
        </div>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
