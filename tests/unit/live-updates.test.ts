import { describe, expect, it } from 'vitest';
import {
  announcingJobStore,
  issueTicket,
  type JobEvent,
  type LiveConnectionStore,
  openConnection,
} from '../../shared/domain/live/live-updates.ts';
import type { JobStore } from '../../shared/domain/ports.ts';
import { memoryJobStore } from './support/memory-ports.ts';

const generation = (jobId: string) =>
  ({
    jobId,
    type: 'generation',
    status: 'QUEUED',
    ownerId: 'u1',
    ownerName: 'Ada',
    model: 'm',
    imageIds: [],
    plannedImageIds: ['i1'],
    quota: { day: '2026-11-30', images: 1 },
    request: { prompt: 'p', size: '1024x1024', quality: 'low', n: 1 },
    modelPrompt: 'p',
    createdAt: '2026-11-30T00:00:00.000Z',
    updatedAt: '2026-11-30T00:00:00.000Z',
  }) as const;

function recorded(store: JobStore, failing = false) {
  const told: [string, JobEvent][] = [];
  const jobs = announcingJobStore(store, {
    async publish(ownerId, event) {
      if (failing) throw new Error('API Gateway is down');
      told.push([ownerId, event]);
    },
  });
  return { jobs, told };
}

describe('job changes told to the owner’s sockets', () => {
  it('tells QUEUED, RUNNING and SUCCEEDED once each, after each write, to the owner', async () => {
    const { jobs, told } = recorded(memoryJobStore().store);
    const job = generation('j1');
    await jobs.accept({ job, quotaPerDay: 10 });
    const started = await jobs.start(job, '2026-11-30T00:00:01.000Z');
    await jobs.start(job, '2026-11-30T00:00:02.000Z');
    expect(await jobs.succeed(started, ['i1'], '2026-11-30T00:00:03.000Z')).toBe(true);
    expect(await jobs.succeed(started, ['i1'], '2026-11-30T00:00:04.000Z')).toBe(false);
    expect(told).toEqual([
      ['u1', { type: 'job', jobId: 'j1', jobType: 'generation', status: 'QUEUED', updatedAt: job.updatedAt }],
      [
        'u1',
        {
          type: 'job',
          jobId: 'j1',
          jobType: 'generation',
          status: 'RUNNING',
          updatedAt: '2026-11-30T00:00:01.000Z',
        },
      ],
      [
        'u1',
        {
          type: 'job',
          jobId: 'j1',
          jobType: 'generation',
          status: 'SUCCEEDED',
          imageIds: ['i1'],
          updatedAt: '2026-11-30T00:00:03.000Z',
        },
      ],
    ]);
  });

  it('tells FAILED with the reason, and nothing when the job had finished already', async () => {
    const { jobs, told } = recorded(memoryJobStore().store);
    await jobs.accept({ job: generation('j2'), quotaPerDay: 10 });
    const reason = { code: 'MODERATION_BLOCKED', message: 'Refused.' };
    expect(await jobs.fail('j2', reason, '2026-11-30T00:00:05.000Z')).toBe(true);
    expect(await jobs.fail('j2', reason, '2026-11-30T00:00:06.000Z')).toBe(false);
    expect(told.map(([, event]) => [event.status, event.error])).toEqual([
      ['QUEUED', undefined],
      ['FAILED', reason],
    ]);
  });

  it('goes on with the work while RUNNING is told, and tells SUCCEEDED after it', async () => {
    const told: JobEvent['status'][] = [];
    let releaseRunning!: () => void;
    const running = new Promise<void>((resolve) => {
      releaseRunning = resolve;
    });
    const jobs = announcingJobStore(memoryJobStore().store, {
      async publish(_ownerId, event) {
        if (event.status === 'RUNNING') await running;
        told.push(event.status);
      },
    });
    const job = generation('j4');
    await jobs.accept({ job, quotaPerDay: 10 });
    const started = await jobs.start(job, '2026-11-30T00:00:01.000Z');
    expect(started.status).toBe('RUNNING');
    expect(told).toEqual(['QUEUED']);

    let settled = false;
    const waited = jobs.settled().then(() => {
      settled = true;
    });
    let succeeded = false;
    const finished = jobs.succeed(started, ['i1'], '2026-11-30T00:00:02.000Z').then((wrote) => {
      succeeded = true;
      return wrote;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(told).toEqual(['QUEUED']);
    expect(settled).toBe(false);
    expect(succeeded).toBe(false);

    releaseRunning();
    expect(await finished).toBe(true);
    await waited;
    expect(told).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
  });

  it('tells FAILED after a RUNNING still being told, and settles once both are', async () => {
    const told: JobEvent['status'][] = [];
    const jobs = announcingJobStore(memoryJobStore().store, {
      async publish(_ownerId, event) {
        if (event.status === 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 20));
        told.push(event.status);
      },
    });
    await jobs.accept({ job: generation('j5'), quotaPerDay: 10 });
    await jobs.start(generation('j5'), '2026-11-30T00:00:01.000Z');
    expect(await jobs.fail('j5', { code: 'INTERNAL', message: 'Broken.' }, '2026-11-30T00:00:02.000Z')).toBe(
      true,
    );
    expect(told).toEqual(['QUEUED', 'RUNNING', 'FAILED']);
    await jobs.settled();
  });

  it('never fails the work when the sockets cannot be told', async () => {
    const memory = memoryJobStore();
    const { jobs } = recorded(memory.store, true);
    await jobs.accept({ job: generation('j3'), quotaPerDay: 10 });
    const started = await jobs.start(generation('j3'), '2026-11-30T00:00:01.000Z');
    expect(await jobs.succeed(started, ['i1'], '2026-11-30T00:00:02.000Z')).toBe(true);
    expect((await memory.store.get('j3'))?.status).toBe('SUCCEEDED');
  });
});

describe('tickets', () => {
  function memoryConnections(): LiveConnectionStore & { tickets: Map<string, [string, number]> } {
    const tickets = new Map<string, [string, number]>();
    const open = new Map<string, Set<string>>();
    return {
      tickets,
      async putTicket(ticket, userId, expiresAt) {
        tickets.set(ticket, [userId, expiresAt]);
      },
      async consumeTicket(ticket, now) {
        const found = tickets.get(ticket);
        if (!found || found[1] <= now) return undefined;
        tickets.delete(ticket);
        return found[0];
      },
      async addConnection(userId, connectionId, { max }) {
        const mine = open.get(userId) ?? new Set();
        if (mine.size >= max) return false;
        open.set(userId, mine.add(connectionId));
        return true;
      },
      async removeConnection() {},
    };
  }
  const clock = { now: () => new Date('2026-11-30T10:00:00.500Z') };

  it('issues a ticket valid 60 s that opens one socket, once', async () => {
    const connections = memoryConnections();
    const deps = { connections, clock, newTicket: () => 't1' };
    expect(await issueTicket(deps, 'u1')).toEqual({ ticket: 't1', expiresAt: '2026-11-30T10:01:00.000Z' });
    expect(await openConnection(deps, 't1', 'c1')).toEqual({ outcome: 'connected', userId: 'u1' });
    expect(await openConnection(deps, 't1', 'c2')).toEqual({ outcome: 'ticket-refused' });
    expect(await openConnection(deps, undefined, 'c3')).toEqual({ outcome: 'ticket-refused' });
  });

  it('refuses the 11th socket of a user', async () => {
    const connections = memoryConnections();
    let n = 0;
    const deps = { connections, clock, newTicket: () => `t${++n}` };
    for (let index = 0; index < 10; index++) {
      const { ticket } = await issueTicket(deps, 'u1');
      expect((await openConnection(deps, ticket, `c${index}`)).outcome).toBe('connected');
    }
    const { ticket } = await issueTicket(deps, 'u1');
    expect((await openConnection(deps, ticket, 'c10')).outcome).toBe('too-many');
  });
});
