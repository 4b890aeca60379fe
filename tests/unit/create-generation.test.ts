import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CharacterRecord } from '../../shared/domain/characters/ports.ts';
import { bodyHash } from '../../shared/domain/generation/accept-job.ts';
import {
  type CreateGenerationDeps,
  createGeneration,
} from '../../shared/domain/generation/create-generation.ts';
import type { GenerationJob } from '../../shared/domain/generation/jobs.ts';
import type { JobQueue } from '../../shared/domain/ports.ts';
import { DomainError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import { fixedClock, memoryJobStore, sequentialIds } from './support/memory-ports.ts';

let jobs: ReturnType<typeof memoryJobStore>;
let queue: JobQueue & { send: ReturnType<typeof vi.fn> };
let deps: CreateGenerationDeps;
const requester = { userId: 'user-1', displayName: 'Ada' };
const options = { correlationId: 'corr-1' };
const characters = new Map(
  [
    { characterId: 'char-mine', ownerId: 'user-1' },
    { characterId: 'char-theirs', ownerId: 'user-2' },
  ].map((c) => [c.characterId, c as CharacterRecord]),
);

beforeEach(() => {
  jobs = memoryJobStore();
  queue = { send: vi.fn(async () => undefined) };
  deps = {
    jobs: jobs.store,
    queue,
    clock: fixedClock(),
    newId: sequentialIds(),
    settings: {
      model: 'gpt-image-2',
      sizes: ['1024x1024', '1536x1024'],
      qualities: ['medium', 'high'],
      defaultSize: '1024x1024',
      defaultQuality: 'medium',
      maxImagesPerRequest: 4,
      quotaPerDay: 10,
    },
    characters: { get: async (characterId) => characters.get(characterId) },
  };
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return httpErrorOf(error)!;
}

describe('createGeneration', () => {
  it('queues a job with defaults, a composed prompt, planned image ids and its quota', async () => {
    expect(
      await createGeneration(deps, requester, { prompt: 'a cat', style: 'pixel', n: 2 }, options),
    ).toEqual({
      jobId: 'ID0001',
      status: 'QUEUED',
    });
    const job = jobs.jobs.get('ID0001') as GenerationJob;
    expect(job).toMatchObject({
      status: 'QUEUED',
      ownerName: 'Ada',
      model: 'gpt-image-2',
      request: { size: '1024x1024', quality: 'medium', n: 2 },
      plannedImageIds: ['ID0002', 'ID0003'],
      quota: { day: '2026-11-22', images: 2 },
    });
    expect(job.modelPrompt).toMatch(/^Pixel art of a cat\./);
    expect(queue.send).toHaveBeenCalledWith({ jobId: 'ID0001', type: 'generation' }, 'corr-1');
  });

  it.each([
    [{ prompt: 'x', style: 'nope' }, 'style'],
    [{ prompt: 'x', size: '640x480' }, 'size'],
    [{ prompt: 'x', quality: 'ultra' }, 'quality'],
    [{ prompt: 'x', n: 5 }, 'n'],
  ])('rejects %o naming %s, and queues nothing', async (input, field) => {
    const error = await refusal(createGeneration(deps, requester, input, options));
    expect(error.status).toBe(400);
    expect(error.details?.map((d) => d.field)).toEqual([field]);
    expect(jobs.jobs.size).toBe(0);
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('answers a repeated Idempotency-Key and body with the first answer, queueing nothing new', async () => {
    const first = await createGeneration(
      deps,
      requester,
      { prompt: 'a cat', n: 1 },
      { ...options, idempotencyKey: 'k1' },
    );
    const again = await createGeneration(
      deps,
      requester,
      { n: 1, prompt: 'a cat' },
      { ...options, idempotencyKey: 'k1' },
    );
    expect(again).toEqual(first);
    expect(jobs.jobs.size).toBe(1);
    expect(queue.send).toHaveBeenCalledTimes(1);
  });

  it('refuses the key with another body with 409 IDEMPOTENCY_KEY_REUSED', async () => {
    await createGeneration(deps, requester, { prompt: 'a cat' }, { ...options, idempotencyKey: 'k1' });
    const error = await refusal(
      createGeneration(deps, requester, { prompt: 'a dog' }, { ...options, idempotencyKey: 'k1' }),
    );
    expect([error.status, error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('keeps keys apart between users', async () => {
    await createGeneration(deps, requester, { prompt: 'a cat' }, { ...options, idempotencyKey: 'k1' });
    await createGeneration(
      deps,
      { userId: 'user-2', displayName: 'Bo' },
      { prompt: 'a dog' },
      { ...options, idempotencyKey: 'k1' },
    );
    expect(jobs.jobs.size).toBe(2);
  });

  it('fails the job, gives the quota back and frees the key when the message cannot be queued', async () => {
    queue.send.mockRejectedValueOnce(new Error('SQS is down'));
    const error = await refusal(
      createGeneration(deps, requester, { prompt: 'a cat', n: 3 }, { ...options, idempotencyKey: 'k1' }),
    );
    expect([error.status, error.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect(jobs.jobs.get('ID0001')!.status).toBe('FAILED');
    expect(jobs.usage.get('user-1/2026-11-22')).toBe(0);
    expect(jobs.idempotency.size).toBe(0);
  });

  it('carries one of the requester’s own characters to the job', async () => {
    await createGeneration(deps, requester, { prompt: 'a cat', characterId: 'char-mine' }, options);
    expect((jobs.jobs.get('ID0001') as GenerationJob).request.characterId).toBe('char-mine');
  });

  it.each([
    ['someone else’s', 'char-theirs'],
    ['a made-up', 'char-nobody'],
  ])('refuses %s character with 404, queueing nothing and taking no quota', async (_, characterId) => {
    const error = await refusal(createGeneration(deps, requester, { prompt: 'a cat', characterId }, options));
    expect([error.status, error.code]).toEqual([404, 'NOT_FOUND']);
    expect(jobs.jobs.size).toBe(0);
    expect(jobs.usage.size).toBe(0);
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('hashes bodies without regard to field order', () => {
    expect(bodyHash({ a: 1, b: { c: 2, d: 3 } })).toBe(bodyHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(bodyHash({ a: 1 })).not.toBe(bodyHash({ a: 2 }));
  });
});
