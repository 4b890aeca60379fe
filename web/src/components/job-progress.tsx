import { useEffect, useRef, useState } from 'preact/hooks';
import type { JobEventMessage } from '../../../shared/schemas/live.ts';
import { jobs } from '../api/endpoints.ts';
import type { ApiError } from '../api/errors.ts';
import { jobFailureMessage } from '../api/errors.ts';
import {
  followsLive,
  latestJobEvent,
  liveUpdatesConnecting,
  onJobEvent,
  onLiveClosed,
  onLiveOpen,
} from '../api/live.ts';
import type { Job } from '../api/types.ts';
import { usePolling } from '../lib/use-polling.ts';
import { ErrorNotice } from './error-notice.tsx';

export const jobSettled = (job: Job) => job.status === 'SUCCEEDED' || job.status === 'FAILED';

function jobOf(event: JobEventMessage): Job {
  return {
    jobId: event.jobId,
    type: event.jobType,
    status: event.status,
    imageIds: event.imageIds ?? [],
    ...(event.error ? { error: event.error } : {}),
    createdAt: event.updatedAt,
    updatedAt: event.updatedAt,
  };
}

/**
 * A job until it has SUCCEEDED or FAILED, told by the live-updates socket: at once when the
 * job was accepted while the socket was open; otherwise, once the socket opens, after one
 * read of the job (it may have moved before). Polled when there is no socket, and from the
 * moment the socket closes before the job has settled.
 */
export function useJob(jobId: string | undefined) {
  const [pushed, setPushed] = useState<Job>();
  const [polling, setPolling] = useState(false);
  const current = useRef<Job | undefined>(undefined);
  useEffect(() => {
    current.current = undefined;
    setPushed(undefined);
    setPolling(false);
    if (!jobId) return;
    const live = followsLive(jobId);
    if (!live && !liveUpdatesConnecting()) {
      setPolling(true);
      return;
    }
    const controller = new AbortController();
    const show = (job: Job) => {
      current.current = job;
      setPushed(job);
    };
    const known = latestJobEvent(jobId);
    if (known) show(jobOf(known));
    const offEvent = onJobEvent((event) => {
      if (event.jobId === jobId) show(jobOf(event));
    });
    const offClosed = onLiveClosed(() => {
      if (!current.current || !jobSettled(current.current)) setPolling(true);
    });
    const offOpen = live
      ? () => undefined
      : onLiveOpen(() => {
          jobs
            .get(jobId, controller.signal)
            .then((job) => {
              // A message that came meanwhile is newer than the read.
              if (!latestJobEvent(jobId)) show(job);
            })
            .catch(() => {
              if (!controller.signal.aborted) setPolling(true);
            });
        });
    return () => {
      controller.abort();
      offEvent();
      offClosed();
      offOpen();
    };
  }, [jobId]);
  const polled = usePolling(polling ? jobId : undefined, (id, signal) => jobs.get(id, signal), jobSettled);
  return { value: polled.value ?? pushed, error: polled.error };
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
