import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runPortrait } from '../../shared/domain/characters/run-portrait.ts';
import type { Job } from '../../shared/domain/generation/jobs.ts';
import { ProviderRefusal, ProviderUnavailable } from '../../shared/domain/generation/provider-errors.ts';
import { type RunGenerationDeps, runGeneration } from '../../shared/domain/generation/run-generation.ts';
import type { CharacterStore, ImageGenerationRequest, ImageProvider } from '../../shared/domain/ports.ts';
import {
  fakeProcessor,
  fixedClock,
  memoryImageStore,
  memoryJobStore,
  memoryStorage,
} from './support/memory-ports.ts';

function queuedJob(n: number): Job {
  return {
    jobId: 'JOB1',
    type: 'generation',
    status: 'QUEUED',
    ownerId: 'user-1',
    ownerName: 'Ada',
    request: { prompt: 'a lighthouse', style: 'watercolor', size: '1024x1024', quality: 'medium', n },
    modelPrompt: 'A watercolour painting of a lighthouse',
    model: 'gpt-image-2',
    plannedImageIds: Array.from({ length: n }, (_, i) => `IMG${i + 1}`),
    imageIds: [],
    quota: { day: '2026-11-22', images: n },
    createdAt: '2026-11-22T09:00:00.000Z',
    updatedAt: '2026-11-22T09:00:00.000Z',
  };
}

let jobs: ReturnType<typeof memoryJobStore>;
let images: ReturnType<typeof memoryImageStore>;
let storage: ReturnType<typeof memoryStorage>;
let requests: ImageGenerationRequest[];
let provider: Pick<ImageProvider, 'generate'> & { generate: ReturnType<typeof vi.fn> };
let deps: RunGenerationDeps;

beforeEach(async () => {
  jobs = memoryJobStore();
  images = memoryImageStore();
  storage = memoryStorage();
  requests = [];
  provider = {
    generate: vi.fn(async (request: ImageGenerationRequest) => {
      requests.push(request);
      return Array.from({ length: request.n }, (_, i) => new Uint8Array([100 + i]));
    }),
  };
  deps = {
    jobs: jobs.store,
    images: images.store,
    storage: storage.storage,
    provider,
    processor: fakeProcessor,
    clock: fixedClock(),
  };
});

async function accept(job: Job) {
  await jobs.store.accept({ job, quotaPerDay: 50 });
}

describe('runGeneration', () => {
  it('takes a job QUEUED → RUNNING → SUCCEEDED with every planned image stored', async () => {
    await accept(queuedJob(2));
    expect(await runGeneration(deps, 'JOB1')).toBe('succeeded');
    const job = jobs.jobs.get('JOB1')!;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.imageIds).toEqual(['IMG1', 'IMG2']);
    expect(requests).toEqual([
      {
        model: 'gpt-image-2',
        prompt: 'A watercolour painting of a lighthouse',
        size: '1024x1024',
        quality: 'medium',
        n: 2,
      },
    ]);
    expect([...storage.objects.keys()].sort()).toEqual([
      'images/IMG1/display.webp',
      'images/IMG1/original.png',
      'images/IMG1/thumbnail.webp',
      'images/IMG2/display.webp',
      'images/IMG2/original.png',
      'images/IMG2/thumbnail.webp',
    ]);
    expect(images.images.get('IMG1')).toMatchObject({
      ownerId: 'user-1',
      kind: 'generated',
      status: 'READY',
      prompt: 'a lighthouse',
      style: 'watercolor',
      model: 'gpt-image-2',
      width: 1000,
    });
  });

  it('keeps on each image the size, quality and what to leave out, so the image can be made again', async () => {
    const job = queuedJob(1);
    await accept({ ...job, request: { ...job.request, negativePrompt: 'no boats' } } as Job);
    await runGeneration(deps, 'JOB1');
    expect(images.images.get('IMG1')).toMatchObject({
      size: '1024x1024',
      quality: 'medium',
      negativePrompt: 'no boats',
    });
  });

  it('does nothing for a message delivered again after the job finished', async () => {
    await accept(queuedJob(1));
    await runGeneration(deps, 'JOB1');
    expect(await runGeneration(deps, 'JOB1')).toBe('already-finished');
    expect(provider.generate).toHaveBeenCalledTimes(1);
    expect(images.images.size).toBe(1);
  });

  it('finishes a job whose worker died half-way with exactly n images, asking only for the missing ones', async () => {
    await accept(queuedJob(3));
    // The fourth object write (the second image's thumbnail) fails, as if the worker died there.
    storage.storage.failOnPut = 4;
    await expect(runGeneration(deps, 'JOB1')).rejects.toThrow('the worker died');
    expect(jobs.jobs.get('JOB1')!.status).toBe('RUNNING');
    expect(images.images.size).toBe(1);

    expect(await runGeneration(deps, 'JOB1')).toBe('succeeded');
    expect(requests.map((r) => r.n)).toEqual([3, 2]);
    expect([...images.images.keys()].sort()).toEqual(['IMG1', 'IMG2', 'IMG3']);
    expect(jobs.jobs.get('JOB1')!.imageIds).toEqual(['IMG1', 'IMG2', 'IMG3']);
    expect(jobs.usage.get('user-1/2026-11-22')).toBe(3);
  });

  it('looks for images already made only for a job another worker had started', async () => {
    await accept(queuedJob(2));
    const existing = vi.spyOn(images.store, 'existing');
    expect(await runGeneration(deps, 'JOB1')).toBe('succeeded');
    expect(existing).not.toHaveBeenCalled();

    jobs.jobs.set('JOB2', {
      ...queuedJob(1),
      jobId: 'JOB2',
      plannedImageIds: ['IMG9'],
      status: 'RUNNING',
    } as Job);
    expect(await runGeneration(deps, 'JOB2')).toBe('succeeded');
    expect(existing).toHaveBeenCalledWith(['IMG9']);
  });

  it('fails a refused job at once with the provider’s code and reason, and gives the quota back', async () => {
    await accept(queuedJob(2));
    provider.generate.mockRejectedValueOnce(
      new ProviderRefusal('MODERATION_BLOCKED', 'rejected by the safety system'),
    );
    expect(await runGeneration(deps, 'JOB1')).toBe('failed');
    expect(jobs.jobs.get('JOB1')).toMatchObject({
      status: 'FAILED',
      error: {
        code: 'MODERATION_BLOCKED',
        message: expect.stringMatching(
          /^The image provider's safety system refused this prompt or image\. Reword it/,
        ),
        details: [{ reason: 'rejected by the safety system' }],
      },
    });
    expect(jobs.usage.get('user-1/2026-11-22')).toBe(0);
  });

  it('throws a transient failure on for the queue to retry, leaving the job RUNNING', async () => {
    await accept(queuedJob(1));
    provider.generate.mockRejectedValueOnce(new ProviderUnavailable('429', 7));
    await expect(runGeneration(deps, 'JOB1')).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(jobs.jobs.get('JOB1')!.status).toBe('RUNNING');
    expect(jobs.usage.get('user-1/2026-11-22')).toBe(1);
  });

  it('never moves a finished job back', async () => {
    await accept(queuedJob(1));
    await jobs.store.fail('JOB1', { code: 'UPSTREAM_UNAVAILABLE', message: 'gave up' }, 'now');
    expect(await runGeneration(deps, 'JOB1')).toBe('already-finished');
    expect(jobs.jobs.get('JOB1')!.status).toBe('FAILED');
    expect(await jobs.store.fail('JOB1', { code: 'X', message: 'again' }, 'later')).toBe(false);
    expect(jobs.usage.get('user-1/2026-11-22')).toBe(0);
  });

  it('answers "missing" for a message whose job does not exist', async () => {
    expect(await runGeneration(deps, 'NOPE')).toBe('missing');
  });
});

describe('runPortrait', () => {
  function queuedPortrait(): Job {
    const job = queuedJob(1);
    return {
      ...job,
      type: 'portrait',
      request: { ...job.request, characterId: 'CHAR1' } as typeof job.request,
    } as Job;
  }

  /** Each change the character is told of, with the job's status at that moment. */
  function characterTold() {
    const told: { status: string; jobStatus: string | undefined }[] = [];
    const characters = {
      portraitProgress: vi.fn(async (_characterId: string, jobId: string, change: { status: string }) => {
        told.push({ status: change.status, jobStatus: jobs.jobs.get(jobId)?.status });
        return { applied: true };
      }),
    } as unknown as CharacterStore;
    return { told, characters };
  }

  it('names the portrait on the character before the job says SUCCEEDED', async () => {
    await accept(queuedPortrait());
    const { told, characters } = characterTold();
    expect(await runPortrait({ ...deps, characters, removeImage: vi.fn() }, 'JOB1')).toBe('succeeded');
    expect(told).toEqual([
      { status: 'RUNNING', jobStatus: 'RUNNING' },
      { status: 'READY', jobStatus: 'RUNNING' },
    ]);
    expect(jobs.jobs.get('JOB1')!.status).toBe('SUCCEEDED');
  });

  it('tells the character of a refusal before the job says FAILED', async () => {
    await accept(queuedPortrait());
    provider.generate.mockRejectedValueOnce(new ProviderRefusal('MODERATION_BLOCKED', 'refused'));
    const { told, characters } = characterTold();
    expect(await runPortrait({ ...deps, characters, removeImage: vi.fn() }, 'JOB1')).toBe('failed');
    expect(told.map(({ status, jobStatus }) => [status, jobStatus])).toEqual([
      ['RUNNING', 'RUNNING'],
      ['FAILED', 'RUNNING'],
    ]);
    expect(jobs.jobs.get('JOB1')!.status).toBe('FAILED');
  });

  it('tells the character again when it finds the job ended, in case the last worker stopped first', async () => {
    await accept(queuedPortrait());
    const first = characterTold();
    await runPortrait({ ...deps, characters: first.characters, removeImage: vi.fn() }, 'JOB1');
    const again = characterTold();
    expect(await runPortrait({ ...deps, characters: again.characters, removeImage: vi.fn() }, 'JOB1')).toBe(
      'already-finished',
    );
    expect(again.told).toEqual([{ status: 'READY', jobStatus: 'SUCCEEDED' }]);
  });
});
