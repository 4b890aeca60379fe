import { logger } from '../../logger.ts';
import type { Job, JobError, JobStatus, JobType } from '../generation/jobs.ts';
import type { Clock, JobStore } from '../ports.ts';

/** What a socket hears when one of its owner's jobs changes status (docs/api.md, "Live updates"). */
export interface JobEvent {
  readonly type: 'job';
  readonly jobId: string;
  readonly jobType: JobType;
  readonly status: JobStatus;
  readonly imageIds?: readonly string[];
  readonly error?: JobError;
  readonly updatedAt: string;
}

/**
 * Tells a user's open sockets of a change to one of their jobs. It never throws: a job's
 * status is written already when it is told, and a socket that cannot hear it must not
 * undo or fail the work (the page falls back to polling).
 */
export interface JobEvents {
  publish(ownerId: string, event: JobEvent): Promise<void>;
}

/** A ticket lets its holder open one socket as its owner, once, within `ticketLifetimeSeconds`. */
export const ticketLifetimeSeconds = 60;
/** Sockets a user may hold at once; the next is refused until one closes. */
export const maxConnectionsPerUser = 10;
/** API Gateway closes a WebSocket after two hours; its items outlive that a little, then TTL removes them. */
export const connectionLifetimeSeconds = 2 * 60 * 60 + 10 * 60;

export interface IssuedTicket {
  readonly ticket: string;
  readonly expiresAt: string;
}

export type ConnectOutcome = 'connected' | 'ticket-refused' | 'too-many';

/** Tickets and open connections. */
export interface LiveConnectionStore {
  putTicket(ticket: string, userId: string, expiresAt: number): Promise<void>;
  /** Deletes the ticket if it exists and has not expired (one conditional write); answers its owner. */
  consumeTicket(ticket: string, nowSeconds: number): Promise<string | undefined>;
  /** Keeps the connection unless its owner holds `max` live ones already; answers whether it did. */
  addConnection(
    userId: string,
    connectionId: string,
    options: { nowSeconds: number; expiresAt: number; max: number },
  ): Promise<boolean>;
  /** Forgets a connection, found by its id alone (`$disconnect`); nothing happens for an unknown one. */
  removeConnection(connectionId: string): Promise<void>;
}

export interface LiveDeps {
  readonly connections: LiveConnectionStore;
  readonly clock: Clock;
  readonly newTicket: () => string;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** `POST /api/live/ticket`. */
export async function issueTicket(deps: LiveDeps, userId: string): Promise<IssuedTicket> {
  const now = deps.clock.now();
  const expiresAt = seconds(now) + ticketLifetimeSeconds;
  const ticket = deps.newTicket();
  await deps.connections.putTicket(ticket, userId, expiresAt);
  return { ticket, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/** `$connect`: the ticket is spent whatever follows, so it can never open a second socket. */
export async function openConnection(
  deps: LiveDeps,
  ticket: string | undefined,
  connectionId: string,
): Promise<{ outcome: ConnectOutcome; userId?: string }> {
  if (!ticket) return { outcome: 'ticket-refused' };
  const nowSeconds = seconds(deps.clock.now());
  const userId = await deps.connections.consumeTicket(ticket, nowSeconds);
  if (!userId) return { outcome: 'ticket-refused' };
  const kept = await deps.connections.addConnection(userId, connectionId, {
    nowSeconds,
    expiresAt: nowSeconds + connectionLifetimeSeconds,
    max: maxConnectionsPerUser,
  });
  return { outcome: kept ? 'connected' : 'too-many', userId };
}

export function jobEventOf(
  job: Job,
  status: JobStatus,
  updatedAt: string,
  extra?: Partial<JobEvent>,
): JobEvent {
  return { type: 'job', jobId: job.jobId, jobType: job.type, status, updatedAt, ...extra };
}

/** The job store that tells its changes, and how to wait until every change has been told. */
export type AnnouncingJobStore = JobStore & {
  /** Resolves once every change written so far has been told (a worker awaits it before it returns). */
  settled(): Promise<void>;
};

/**
 * The job store, telling the owner's sockets of each status it writes, once the
 * conditional write has succeeded (a write that found the job moved on tells nothing).
 * RUNNING is told while the work goes on rather than before it starts; each job's changes
 * are still told in the order they were written, and the write of SUCCEEDED or FAILED
 * returns only once it and everything before it have been told.
 */
export function announcingJobStore(store: JobStore, events: JobEvents): AnnouncingJobStore {
  const tell = async (ownerId: string, event: JobEvent) => {
    try {
      await events.publish(ownerId, event);
    } catch (error) {
      logger.warn('a job change could not be told to its sockets', {
        jobId: event.jobId,
        status: event.status,
        error: error as Error,
      });
    }
  };
  /** The last change of each job still being told; `tell` never rejects, so neither do these. */
  const telling = new Map<string, Promise<void>>();
  const inTurn = (ownerId: string, event: JobEvent) => {
    const told = (telling.get(event.jobId) ?? Promise.resolve()).then(() => tell(ownerId, event));
    telling.set(event.jobId, told);
    void told.then(() => {
      if (telling.get(event.jobId) === told) telling.delete(event.jobId);
    });
    return told;
  };
  return {
    ...store,
    async accept(input) {
      await store.accept(input);
      await inTurn(input.job.ownerId, jobEventOf(input.job, 'QUEUED', input.job.updatedAt));
    },
    async start(job, now) {
      const started = await store.start(job, now);
      // This write moved it (a retry of a RUNNING job finds it as another left it).
      if (job.status === 'QUEUED' && started.status === 'RUNNING' && started.updatedAt === now)
        void inTurn(started.ownerId, jobEventOf(started, 'RUNNING', now));
      return started;
    },
    async succeed(job, imageIds, now) {
      const wrote = await store.succeed(job, imageIds, now);
      if (wrote) await inTurn(job.ownerId, jobEventOf(job, 'SUCCEEDED', now, { imageIds: [...imageIds] }));
      else await telling.get(job.jobId);
      return wrote;
    },
    async fail(jobId, error, now) {
      const failed = await store.fail(jobId, error, now);
      if (failed) {
        const job = await store.get(jobId);
        if (job) await inTurn(job.ownerId, jobEventOf(job, 'FAILED', now, { error }));
      }
      await telling.get(jobId);
      return failed;
    },
    async settled() {
      await Promise.all(telling.values());
    },
  };
}
