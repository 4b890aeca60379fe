import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sharpImageProcessor } from '../../shared/adapters/sharp-image-processor.ts';
import { type CreateEditDeps, createEdit } from '../../shared/domain/edits/create-edit.ts';
import { type RunEditDeps, runEdit } from '../../shared/domain/edits/run-edit.ts';
import type { EditJob } from '../../shared/domain/generation/jobs.ts';
import { ProviderRefusal, ProviderUnavailable } from '../../shared/domain/generation/provider-errors.ts';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import type { ImageEditRequest, ImageProvider, JobQueue } from '../../shared/domain/ports.ts';
import type { UploadRecord } from '../../shared/domain/uploads/upload.ts';
import { DomainError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import { solidImage } from '../support/images.ts';
import {
  fakeProcessor,
  fixedClock,
  memoryImageStore,
  memoryJobStore,
  memoryStorage,
  memoryUploadStore,
  sequentialIds,
} from './support/memory-ports.ts';

const ada = { userId: 'user-1', displayName: 'Ada' };
const options = { correlationId: 'corr-1' };

let jobs: ReturnType<typeof memoryJobStore>;
let images: ReturnType<typeof memoryImageStore>;
let storage: ReturnType<typeof memoryStorage>;
let uploads: ReturnType<typeof memoryUploadStore>;
let queue: JobQueue & { send: ReturnType<typeof vi.fn> };
let deps: CreateEditDeps;

function image(imageId: string, overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    imageId,
    ownerId: 'user-1',
    ownerName: 'Ada',
    kind: 'uploaded',
    status: 'READY',
    descriptionStatus: 'NONE',
    isPublic: false,
    width: 40,
    height: 30,
    contentType: 'image/jpeg',
    originalKey: `images/${imageId}/original.jpg`,
    thumbnailKey: `images/${imageId}/thumbnail.webp`,
    commentCount: 0,
    createdAt: '2026-11-22T08:00:00.000Z',
    updatedAt: '2026-11-22T08:00:00.000Z',
    ...overrides,
  };
}

function upload(uploadId: string, overrides: Partial<UploadRecord>): UploadRecord {
  return {
    uploadId,
    ownerId: 'user-1',
    ownerName: 'Ada',
    purpose: 'mask',
    contentType: 'image/png',
    contentLength: 1000,
    objectKey: `uploads/user-1/${uploadId}`,
    status: 'READY',
    stagedKey: `staged/${uploadId}.png`,
    width: 40,
    height: 30,
    expiresAt: Date.parse('2026-11-23T09:00:00.000Z') / 1000,
    createdAt: '2026-11-22T08:00:00.000Z',
    updatedAt: '2026-11-22T08:00:00.000Z',
    ...overrides,
  };
}

beforeEach(async () => {
  jobs = memoryJobStore();
  images = memoryImageStore();
  storage = memoryStorage();
  uploads = memoryUploadStore();
  queue = { send: vi.fn(async () => undefined) };
  deps = {
    jobs: jobs.store,
    queue,
    images: images.store,
    uploads: uploads.store,
    storage: storage.storage,
    processor: sharpImageProcessor,
    clock: fixedClock(),
    newId: sequentialIds(),
    settings: { model: 'gpt-image-2', sizes: ['1024x1024'], maxImagesPerRequest: 4, quotaPerDay: 10 },
  };
  images.images.set('SRC', image('SRC'));
  await storage.storage.put('images/SRC/original.jpg', await solidImage(40, 30, 'jpeg'), 'image/jpeg');
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return httpErrorOf(error)!;
}

async function stageMask(
  uploadId: string,
  width: number,
  height: number,
  overrides: Partial<UploadRecord> = {},
) {
  uploads.uploads.set(uploadId, upload(uploadId, { width, height, ...overrides }));
  const mask = await sharpImageProcessor.mask(await solidImage(width, height, 'png', { alpha: true }));
  await storage.storage.put(`staged/${uploadId}.png`, mask.bytes, 'image/png');
}

describe('createEdit', () => {
  it('stores the source as PNG with alpha and the mask under the job, takes n from the quota and queues it', async () => {
    await stageMask('MASK', 40, 30);
    const sourceBefore = storage.objects.get('images/SRC/original.jpg')!.body;
    const accepted = await createEdit(
      deps,
      ada,
      { source: { imageId: 'SRC' }, mask: { uploadId: 'MASK' }, prompt: 'add a moon', n: 2 },
      options,
    );
    expect(accepted).toEqual({ jobId: 'ID0001', status: 'QUEUED' });
    const job = jobs.jobs.get('ID0001') as EditJob;
    expect(job).toMatchObject({
      type: 'edit',
      request: { prompt: 'add a moon', size: 'auto', n: 2, parentImageId: 'SRC' },
      sourceKey: 'jobs/ID0001/source.png',
      maskKey: 'jobs/ID0001/mask.png',
      plannedImageIds: ['ID0002', 'ID0003'],
      quota: { day: '2026-11-22', images: 2 },
    });
    const source = await sharpImageProcessor.inspect(storage.objects.get('jobs/ID0001/source.png')!.body);
    expect(source).toEqual({ width: 40, height: 30, format: 'png' });
    expect(storage.objects.has('jobs/ID0001/mask.png')).toBe(true);
    expect(jobs.usage.get('user-1/2026-11-22')).toBe(2);
    expect(queue.send).toHaveBeenCalledWith({ jobId: 'ID0001', type: 'edit' }, 'corr-1');
    // The source is only read.
    expect(storage.objects.get('images/SRC/original.jpg')!.body).toBe(sourceBefore);
    expect(images.images.get('SRC')).toEqual(image('SRC'));
  });

  it('refuses a mask of other dimensions with 400 naming both sizes, and stores and queues nothing', async () => {
    await stageMask('MASK', 64, 64);
    const error = await refusal(
      createEdit(deps, ada, { source: { imageId: 'SRC' }, mask: { uploadId: 'MASK' }, prompt: 'x' }, options),
    );
    expect([error.status, error.code]).toEqual([400, 'INVALID_IMAGE']);
    expect(error.message).toMatch(/mask is 64×64 pixels but the image is 40×30/);
    expect(error.details).toEqual([{ field: 'mask', message: 'must be 40×30 pixels, like the image' }]);
    expect(jobs.jobs.size).toBe(0);
    expect(queue.send).not.toHaveBeenCalled();
    expect([...storage.objects.keys()].filter((key) => key.startsWith('jobs/'))).toEqual([]);
  });

  it('refuses a multipart mask without alpha, and a source that is not an image, by their bytes', async () => {
    const noAlpha = await refusal(
      createEdit(
        deps,
        ada,
        {
          source: { bytes: await solidImage(40, 30) },
          mask: { bytes: await solidImage(40, 30) },
          prompt: 'x',
        },
        options,
      ),
    );
    expect(noAlpha.message).toMatch(/no alpha channel/);
    const text = await refusal(
      createEdit(deps, ada, { source: { bytes: Buffer.from('not an image at all') }, prompt: 'x' }, options),
    );
    expect(text.status).toBe(415);
  });

  it('answers 404 for another user’s image or upload, and 403 for their shared image', async () => {
    images.images.set('THEIRS', image('THEIRS', { ownerId: 'user-2' }));
    images.images.set('SHARED', image('SHARED', { ownerId: 'user-2', isPublic: true }));
    await stageMask('THEIR-MASK', 40, 30, { ownerId: 'user-2' });
    const edit = (input: Parameters<typeof createEdit>[2]) => refusal(createEdit(deps, ada, input, options));
    expect((await edit({ source: { imageId: 'THEIRS' }, prompt: 'x' })).status).toBe(404);
    expect((await edit({ source: { imageId: 'SHARED' }, prompt: 'x' })).status).toBe(403);
    expect(
      (await edit({ source: { imageId: 'SRC' }, mask: { uploadId: 'THEIR-MASK' }, prompt: 'x' })).status,
    ).toBe(404);
  });

  it('refuses an upload not processed yet (409), refused (400 with its reason) or of the wrong purpose (400)', async () => {
    await stageMask('PENDING', 40, 30, { status: 'PENDING' });
    await stageMask('BAD', 40, 30, {
      status: 'FAILED',
      error: { code: 'INVALID_IMAGE', message: 'The mask has no alpha channel.' },
    });
    await stageMask('SOURCE', 40, 30, { purpose: 'edit' });
    const edit = (maskUploadId: string) =>
      refusal(
        createEdit(
          deps,
          ada,
          { source: { imageId: 'SRC' }, mask: { uploadId: maskUploadId }, prompt: 'x' },
          options,
        ),
      );
    expect(await edit('PENDING')).toMatchObject({ status: 409, code: 'UPLOAD_NOT_READY' });
    expect((await edit('BAD')).message).toMatch(/cannot be used: The mask has no alpha channel/);
    expect((await edit('SOURCE')).details?.[0]).toMatchObject({ field: 'maskUploadId' });
  });

  it('checks size and n against the settings', async () => {
    const error = await refusal(
      createEdit(deps, ada, { source: { imageId: 'SRC' }, prompt: 'x', size: '640x480', n: 5 }, options),
    );
    expect(error.details?.map((d) => d.field)).toEqual(['size', 'n']);
  });

  it('answers a repeated Idempotency-Key and body with the first answer, and another body with 409', async () => {
    const input = { source: { bytes: await solidImage(40, 30) }, prompt: 'add a moon' };
    const key = { ...options, idempotencyKey: 'edit-1' };
    const first = await createEdit(deps, ada, input, key);
    const again = await createEdit(deps, ada, { ...input, source: { bytes: await solidImage(40, 30) } }, key);
    expect(again).toEqual(first);
    expect(jobs.jobs.size).toBe(1);
    const other = await refusal(
      createEdit(deps, ada, { ...input, source: { bytes: await solidImage(40, 31) } }, key),
    );
    expect(other.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('removes the stored inputs when the quota refuses the job', async () => {
    deps = { ...deps, settings: { ...deps.settings, quotaPerDay: 1 } };
    const error = await refusal(
      createEdit(deps, ada, { source: { imageId: 'SRC' }, prompt: 'x', n: 2 }, options),
    );
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect([...storage.objects.keys()].filter((key) => key.startsWith('jobs/'))).toEqual([]);
  });
});

describe('runEdit', () => {
  let requests: ImageEditRequest[];
  let provider: Pick<ImageProvider, 'edit'> & { edit: ReturnType<typeof vi.fn> };
  let runDeps: RunEditDeps;

  const editJob = (n: number): EditJob => ({
    jobId: 'JOB1',
    type: 'edit',
    status: 'QUEUED',
    ownerId: 'user-1',
    ownerName: 'Ada',
    request: { prompt: 'add a moon', size: 'auto', n, parentImageId: 'SRC' },
    model: 'gpt-image-2',
    plannedImageIds: Array.from({ length: n }, (_, i) => `NEW${i + 1}`),
    imageIds: [],
    sourceKey: 'jobs/JOB1/source.png',
    maskKey: 'jobs/JOB1/mask.png',
    quota: { day: '2026-11-22', images: n },
    createdAt: '2026-11-22T09:00:00.000Z',
    updatedAt: '2026-11-22T09:00:00.000Z',
  });

  beforeEach(async () => {
    requests = [];
    provider = {
      edit: vi.fn(async (request: ImageEditRequest) => {
        requests.push(request);
        return Array.from({ length: request.n }, (_, i) => new Uint8Array([60 + i]));
      }),
    };
    runDeps = {
      jobs: jobs.store,
      images: images.store,
      storage: storage.storage,
      provider,
      processor: fakeProcessor,
      clock: fixedClock(),
    };
    await storage.storage.put('jobs/JOB1/source.png', new Uint8Array([1, 2, 3]), 'image/png');
    await storage.storage.put('jobs/JOB1/mask.png', new Uint8Array([4, 5, 6]), 'image/png');
  });

  it('sends the stored source and mask, and keeps the results as new edited images of the source', async () => {
    await jobs.store.accept({ job: editJob(2), quotaPerDay: 10 });
    expect(await runEdit(runDeps, 'JOB1')).toBe('succeeded');
    expect(requests).toEqual([
      {
        model: 'gpt-image-2',
        image: new Uint8Array([1, 2, 3]),
        mask: new Uint8Array([4, 5, 6]),
        prompt: 'add a moon',
        size: 'auto',
        n: 2,
      },
    ]);
    expect(images.images.get('NEW1')).toMatchObject({
      kind: 'edited',
      status: 'READY',
      parentImageId: 'SRC',
      prompt: 'add a moon',
      sourceKey: 'jobs/JOB1/source.png',
      maskKey: 'jobs/JOB1/mask.png',
      width: 600,
    });
    expect(images.images.get('NEW1')).not.toHaveProperty('size');
    expect(jobs.jobs.get('JOB1')).toMatchObject({ status: 'SUCCEEDED', imageIds: ['NEW1', 'NEW2'] });
  });

  it('fails a moderation block at once and gives the quota back', async () => {
    await jobs.store.accept({ job: editJob(3), quotaPerDay: 10 });
    provider.edit.mockRejectedValueOnce(
      new ProviderRefusal('MODERATION_BLOCKED', 'rejected by the safety system'),
    );
    expect(await runEdit(runDeps, 'JOB1')).toBe('failed');
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

  it('fails with INVALID_SOURCE when the stored inputs are gone, without calling the provider', async () => {
    await jobs.store.accept({ job: editJob(1), quotaPerDay: 10 });
    await storage.storage.delete(['jobs/JOB1/mask.png']);
    expect(await runEdit(runDeps, 'JOB1')).toBe('failed');
    expect(jobs.jobs.get('JOB1')!.error?.code).toBe('INVALID_SOURCE');
    expect(provider.edit).not.toHaveBeenCalled();
  });

  it('throws a transient failure for the queue to retry', async () => {
    await jobs.store.accept({ job: editJob(1), quotaPerDay: 10 });
    provider.edit.mockRejectedValueOnce(new ProviderUnavailable('500'));
    await expect(runEdit(runDeps, 'JOB1')).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(jobs.jobs.get('JOB1')!.status).toBe('RUNNING');
    expect(await runEdit(runDeps, 'JOB1')).toBe('succeeded');
  });

  it('leaves a job of another type alone', async () => {
    await jobs.store.accept({
      job: { ...editJob(1), type: 'description', request: { imageId: 'SRC' } } as never,
      quotaPerDay: 10,
    });
    expect(await runEdit(runDeps, 'JOB1')).toBe('missing');
    expect(jobs.jobs.get('JOB1')!.status).toBe('QUEUED');
  });
});
