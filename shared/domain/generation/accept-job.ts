import { createHash } from 'node:crypto';
import { ConflictError, UpstreamUnavailableError } from '../../errors.ts';
import { logger } from '../../logger.ts';
import type { Clock, IdGenerator, JobQueue, JobStore } from '../ports.ts';
import type { Job } from './jobs.ts';

export interface AcceptJobDeps {
  readonly jobs: JobStore;
  readonly queue: JobQueue;
  readonly clock: Clock;
  readonly newId: IdGenerator;
}

export interface Requester {
  readonly userId: string;
  readonly displayName: string;
}

export interface AcceptedJob {
  readonly jobId: string;
  readonly status: 'QUEUED';
}

export interface AcceptJobOptions {
  readonly correlationId: string;
  /** Required for a job that holds quota. */
  readonly quotaPerDay?: number;
  /** With a key, the same `body` within 24 h answers the first answer; another body is a 409. */
  readonly idempotency?: { readonly key: string; readonly body: unknown };
}

/** What a job is built from: its id and the moment it is accepted. */
export interface NewJob {
  readonly jobId: string;
  readonly now: Date;
  readonly timestamp: string;
}

const idempotencyWindowSeconds = 24 * 60 * 60;

/** The same body always hashes the same, whatever the order of its fields. */
export function bodyHash(body: unknown): string {
  const canonical = JSON.stringify(body, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Accepts a job of any type: the job (with its quota and idempotency key) in one
 * transaction, then the message on the queue. `build` runs only for a request that is
 * not a replay, so work it does (storing an edit's inputs) is never done twice for one key.
 * A message that cannot be queued fails the job (giving its quota back) and frees the key:
 * no job is left QUEUED with nothing to run it.
 */
export async function acceptJob(
  deps: AcceptJobDeps,
  ownerId: string,
  build: (job: NewJob) => Job | Promise<Job>,
  options: AcceptJobOptions,
): Promise<AcceptedJob> {
  const key = options.idempotency?.key;
  const hash = options.idempotency && bodyHash(options.idempotency.body);
  if (key && hash) {
    const earlier = await deps.jobs.findIdempotency(ownerId, key);
    if (earlier) return answerFor(earlier, hash);
  }

  const now = deps.clock.now();
  const timestamp = now.toISOString();
  const job = await build({ jobId: deps.newId(), now, timestamp });
  const accepted: AcceptedJob = { jobId: job.jobId, status: 'QUEUED' };
  try {
    await deps.jobs.accept({
      job,
      quotaPerDay: options.quotaPerDay,
      ...(key && hash
        ? {
            idempotency: {
              key,
              record: { bodyHash: hash, response: accepted },
              expiresAt: Math.floor(now.getTime() / 1000) + idempotencyWindowSeconds,
            },
          }
        : {}),
    });
  } catch (error) {
    // Another request with the same key won the race: answer as it did.
    if (key && hash && error instanceof IdempotencyKeyTaken) {
      const earlier = await deps.jobs.findIdempotency(ownerId, key);
      if (earlier) return answerFor(earlier, hash);
    }
    throw error;
  }

  try {
    await deps.queue.send({ jobId: job.jobId, type: job.type }, options.correlationId);
  } catch (error) {
    await deps.jobs.fail(
      job.jobId,
      { code: 'UPSTREAM_UNAVAILABLE', message: 'The job could not be queued.' },
      timestamp,
    );
    if (key) await deps.jobs.forgetIdempotency(ownerId, key);
    logger.error('job could not be queued', { jobId: job.jobId, error: error as Error });
    throw new UpstreamUnavailableError('The job could not be queued; try again shortly.');
  }
  return accepted;
}

export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key taken by a concurrent request');
    this.name = 'IdempotencyKeyTaken';
  }
}

function answerFor(earlier: { bodyHash: string; response: unknown }, hash: string): AcceptedJob {
  if (earlier.bodyHash !== hash) {
    throw new ConflictError(
      'This Idempotency-Key was used with a different request body.',
      'IDEMPOTENCY_KEY_REUSED',
    );
  }
  return earlier.response as AcceptedJob;
}
