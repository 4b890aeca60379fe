import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  describeImage,
  descriptionPrompt,
  failJob,
  type RunDescriptionDeps,
  requestDescription,
  runDescription,
  visionMaxBytes,
} from '../../shared/domain/descriptions/descriptions.ts';
import { ProviderRefusal, ProviderUnavailable } from '../../shared/domain/generation/provider-errors.ts';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import type { ImageDescriber, ImageDescriptionRequest, JobQueue } from '../../shared/domain/ports.ts';
import type { DomainError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import {
  fixedClock,
  memoryImageStore,
  memoryJobStore,
  memoryStorage,
  sequentialIds,
} from './support/memory-ports.ts';

const photo: ImageRecord = {
  imageId: 'IMG1',
  ownerId: 'user-1',
  ownerName: 'Ada',
  kind: 'uploaded',
  status: 'READY',
  descriptionStatus: 'NONE',
  isPublic: false,
  width: 10,
  height: 10,
  contentType: 'image/png',
  originalKey: 'images/IMG1/original.png',
  thumbnailKey: 'images/IMG1/thumbnail.webp',
  commentCount: 0,
  createdAt: '2026-11-22T08:00:00.000Z',
  updatedAt: '2026-11-22T08:00:00.000Z',
};

let jobs: ReturnType<typeof memoryJobStore>;
let images: ReturnType<typeof memoryImageStore>;
let storage: ReturnType<typeof memoryStorage>;
let queue: JobQueue & { send: ReturnType<typeof vi.fn> };
let seen: ImageDescriptionRequest[];
let describer: ImageDescriber & { describe: ReturnType<typeof vi.fn> };
let requestDeps: Parameters<typeof requestDescription>[0];
let runDeps: RunDescriptionDeps;

beforeEach(async () => {
  jobs = memoryJobStore();
  images = memoryImageStore();
  storage = memoryStorage();
  queue = { send: vi.fn(async () => undefined) };
  seen = [];
  describer = {
    describe: vi.fn(async (request: ImageDescriptionRequest) => {
      seen.push(request);
      return 'A blue square on a white ground.';
    }),
  };
  requestDeps = {
    jobs: jobs.store,
    queue,
    images: images.store,
    clock: fixedClock(),
    newId: sequentialIds('JOB'),
    visionModel: 'gpt-5-mini',
    descriptionsPerDay: 3,
  };
  runDeps = {
    jobs: jobs.store,
    images: images.store,
    storage: storage.storage,
    describer,
    clock: fixedClock(),
  };
  images.images.set('IMG1', photo);
  await storage.storage.put('images/IMG1/original.png', new Uint8Array([1, 2, 3]), 'image/png');
  await storage.storage.put('images/IMG1/thumbnail.webp', new Uint8Array([9]), 'image/webp');
});

describe('asking for a description', () => {
  it('queues a description job that takes one of the day’s descriptions, and the image waits for it', async () => {
    expect(await requestDescription(requestDeps, photo, { correlationId: 'c' })).toEqual({
      jobId: 'JOB0001',
      status: 'QUEUED',
    });
    const job = jobs.jobs.get('JOB0001')!;
    expect(job).toMatchObject({ type: 'description', model: 'gpt-5-mini', request: { imageId: 'IMG1' } });
    expect(job.quota).toEqual({ day: '2026-11-22', descriptions: 1 });
    expect([...jobs.usage]).toEqual([['user-1/2026-11-22/descriptions', 1]]);
    expect(images.images.get('IMG1')).toMatchObject({
      descriptionStatus: 'PENDING',
      descriptionJobId: 'JOB0001',
    });
    expect(queue.send).toHaveBeenCalledWith({ jobId: 'JOB0001', type: 'description' }, 'c');
  });

  it('leaves the image FAILED, not waiting, when the job cannot be queued', async () => {
    queue.send.mockRejectedValueOnce(new Error('SQS is down'));
    const error = await requestDescription(requestDeps, photo, { correlationId: 'c' }).catch((e) => e);
    expect((error as DomainError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(jobs.jobs.get('JOB0001')!.status).toBe('FAILED');
    expect(images.images.get('IMG1')!.descriptionStatus).toBe('FAILED');
  });

  it('answers the job under way while the image waits for one: no second job, no second charge', async () => {
    const first = await describeImage(requestDeps, 'user-1', 'IMG1', { correlationId: 'c' });
    const again = await describeImage(requestDeps, 'user-1', 'IMG1', { correlationId: 'c' });
    expect(again).toEqual(first);
    expect(jobs.jobs.size).toBe(1);
    expect(queue.send).toHaveBeenCalledTimes(1);
    await jobs.store.start(jobs.jobs.get(first.jobId)!, '2026-11-22T10:00:01.000Z');
    expect(await describeImage(requestDeps, 'user-1', 'IMG1', { correlationId: 'c' })).toEqual({
      jobId: first.jobId,
      status: 'RUNNING',
    });
  });

  it('takes the place of a wait for a job that was never written or is over', async () => {
    images.images.set('IMG1', { ...photo, descriptionStatus: 'PENDING', descriptionJobId: 'LOST' });
    const answer = await describeImage(requestDeps, 'user-1', 'IMG1', { correlationId: 'c' });
    expect(answer).toEqual({ jobId: 'JOB0001', status: 'QUEUED' });
    expect(images.images.get('IMG1')!.descriptionJobId).toBe('JOB0001');
    expect(queue.send).toHaveBeenCalledTimes(1);
  });

  it('refuses a description past the day’s allowance with 429, keeping the description the image had', async () => {
    images.images.set('IMG1', { ...photo, descriptionStatus: 'READY', description: 'Kept words.' });
    for (let day = 0; day < 3; day++) {
      const { jobId } = await describeImage(requestDeps, 'user-1', 'IMG1', { correlationId: 'c' });
      await jobs.store.fail(jobId, { code: 'X', message: 'x' }, 'now');
      await jobs.store.accept({
        job: { ...jobs.jobs.get(jobId)!, jobId: `${jobId}-kept`, status: 'QUEUED' },
        quotaPerDay: 3,
      });
      images.images.set('IMG1', { ...photo, descriptionStatus: 'READY', description: 'Kept words.' });
    }
    const error = httpErrorOf(
      await describeImage(requestDeps, 'user-1', 'IMG1', { correlationId: 'c' }).catch((e) => e),
    )!;
    expect(error.status).toBe(429);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(images.images.get('IMG1')).toMatchObject({
      descriptionStatus: 'READY',
      description: 'Kept words.',
    });
  });

  it('gives a failed description back to the allowance', async () => {
    const { jobId } = await describeImage(requestDeps, 'user-1', 'IMG1', { correlationId: 'c' });
    await jobs.store.fail(jobId, { code: 'UPSTREAM_UNAVAILABLE', message: 'down' }, 'now');
    expect(jobs.usage.get('user-1/2026-11-22/descriptions')).toBe(0);
  });

  it('describes only the owner’s READY images: 404 for another user, 409 while PENDING', async () => {
    const refused = (callerId: string) =>
      describeImage(requestDeps, callerId, 'IMG1', { correlationId: 'c' }).catch(
        (e: unknown) => httpErrorOf(e)?.status,
      );
    expect(await refused('user-2')).toBe(404);
    images.images.set('IMG1', { ...photo, status: 'PENDING' });
    expect(await refused('user-1')).toBe(409);
    expect(jobs.jobs.size).toBe(0);
  });
});

describe('runDescription', () => {
  async function queued() {
    return (await requestDescription(requestDeps, photo, { correlationId: 'c' })).jobId;
  }

  it('sends the original with its type to the vision model and stores the words', async () => {
    const jobId = await queued();
    expect(await runDescription(runDeps, jobId)).toBe('succeeded');
    expect(seen).toEqual([
      {
        model: 'gpt-5-mini',
        prompt: descriptionPrompt,
        image: new Uint8Array([1, 2, 3]),
        contentType: 'image/png',
      },
    ]);
    expect(images.images.get('IMG1')).toMatchObject({
      descriptionStatus: 'READY',
      description: 'A blue square on a white ground.',
    });
    expect(jobs.jobs.get(jobId)).toMatchObject({ status: 'SUCCEEDED', imageIds: ['IMG1'] });
  });

  it('describes a very large original from its thumbnail', async () => {
    await storage.storage.put('images/IMG1/original.png', new Uint8Array(visionMaxBytes + 1), 'image/png');
    await runDescription(runDeps, await queued());
    expect(seen[0]).toMatchObject({ image: new Uint8Array([9]), contentType: 'image/webp' });
  });

  it('fails the job and the description at once on a moderation block', async () => {
    const jobId = await queued();
    describer.describe.mockRejectedValueOnce(new ProviderRefusal('MODERATION_BLOCKED', 'safety system'));
    expect(await runDescription(runDeps, jobId)).toBe('failed');
    expect(jobs.jobs.get(jobId)).toMatchObject({ status: 'FAILED', error: { code: 'MODERATION_BLOCKED' } });
    expect(images.images.get('IMG1')).toMatchObject({
      descriptionStatus: 'FAILED',
      descriptionError: {
        code: 'MODERATION_BLOCKED',
        message: expect.stringContaining("The image provider's safety system refused"),
      },
    });
  });

  it('throws a transient failure for the queue to retry, the image still waiting', async () => {
    const jobId = await queued();
    describer.describe.mockRejectedValueOnce(new ProviderUnavailable('429', 3));
    await expect(runDescription(runDeps, jobId)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(images.images.get('IMG1')!.descriptionStatus).toBe('PENDING');
    expect(await runDescription(runDeps, jobId)).toBe('succeeded');
  });

  it('fails with INVALID_SOURCE when the image is gone', async () => {
    const jobId = await queued();
    images.images.delete('IMG1');
    expect(await runDescription(runDeps, jobId)).toBe('failed');
    expect(jobs.jobs.get(jobId)!.error?.code).toBe('INVALID_SOURCE');
    expect(describer.describe).not.toHaveBeenCalled();
  });

  it('never lets an older job’s late answer replace a newer one’s', async () => {
    const older = await queued();
    // The worker has the older job when the image is asked to be described again, after
    // its wait was given up (as the dead-letter handler does).
    await jobs.store.start(jobs.jobs.get(older)!, '2026-11-22T10:00:01.000Z');
    images.images.set('IMG1', { ...images.images.get('IMG1')!, descriptionStatus: 'FAILED' });
    const newer = await queued();
    expect(newer).not.toBe(older);
    describer.describe.mockResolvedValueOnce('the newer words');
    await runDescription(runDeps, newer);
    describer.describe.mockResolvedValueOnce('the older words');
    expect(await runDescription(runDeps, older)).toBe('succeeded');
    expect(images.images.get('IMG1')!.description).toBe('the newer words');
  });
});

describe('failJob (the dead-letter handler)', () => {
  it('fails a description job and the image’s description with it, once', async () => {
    const { jobId } = await requestDescription(requestDeps, photo, { correlationId: 'c' });
    const error = { code: 'UPSTREAM_UNAVAILABLE', message: 'gave up' };
    expect(await failJob(runDeps, jobId, error)).toBe(true);
    expect(images.images.get('IMG1')).toMatchObject({ descriptionStatus: 'FAILED', descriptionError: error });
    expect(await failJob(runDeps, jobId, error)).toBe(false);
  });
});
