import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sampleEvent } from '../../events/index.ts';
import { s3UploadSigner } from '../../shared/adapters/s3-object-storage.ts';
import { sharpImageProcessor } from '../../shared/adapters/sharp-image-processor.ts';
import { uploadRepository } from '../../shared/adapters/upload-repository.ts';
import { apiUploadMaxBodyBytes, limits } from '../../shared/domain/limits.ts';
import type { JobQueue } from '../../shared/domain/ports.ts';
import { addImage } from '../../shared/domain/uploads/add-image.ts';
import { createUpload } from '../../shared/domain/uploads/create-upload.ts';
import {
  failUploadOfObject,
  type ProcessUploadDeps,
  processUpload,
} from '../../shared/domain/uploads/process-upload.ts';
import { DomainError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import { createdObjectKeys } from '../../shared/queue/s3-events.ts';
import { hasGpsTag, jpegWithGps, pngBomb, solidImage } from '../support/images.ts';
import {
  fixedClock,
  memoryImageStore,
  memoryJobStore,
  memoryStorage,
  memoryUploadStore,
  sequentialIds,
} from './support/memory-ports.ts';

const ada = { userId: 'user-1', displayName: 'Ada' };
const signer = s3UploadSigner(
  new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4566',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  }),
  'easel-images',
);

let uploads: ReturnType<typeof memoryUploadStore>;
let images: ReturnType<typeof memoryImageStore>;
let jobs: ReturnType<typeof memoryJobStore>;
let storage: ReturnType<typeof memoryStorage>;
let queue: JobQueue & { send: ReturnType<typeof vi.fn> };
let deps: ProcessUploadDeps;

beforeEach(() => {
  images = memoryImageStore();
  uploads = memoryUploadStore(images.images);
  jobs = memoryJobStore();
  storage = memoryStorage();
  queue = { send: vi.fn(async () => undefined) };
  deps = {
    uploads: uploads.store,
    images: images.store,
    jobs: jobs.store,
    queue,
    storage: storage.storage,
    processor: sharpImageProcessor,
    clock: fixedClock(),
    newId: sequentialIds(),
    visionModel: 'gpt-5-mini',
    descriptionsPerDay: 3,
  };
});

async function announce(
  purpose: 'describe' | 'edit' | 'mask',
  bytes: Uint8Array,
  contentLength = bytes.length,
) {
  const ticket = await createUpload(
    { uploads: uploads.store, signer, clock: fixedClock(), newId: sequentialIds('UP') },
    ada,
    { contentType: 'image/png', contentLength, purpose },
    { correlationId: 'corr-up' },
  );
  const key = `uploads/user-1/${ticket.uploadId}`;
  await storage.storage.put(key, bytes, 'image/png');
  return { ticket, key };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return httpErrorOf(error)!;
}

describe('POST /api/uploads: the presigned POST', () => {
  it('pins the key, the exact type and the declared size in its policy, and expires in 15 minutes', async () => {
    const { ticket } = await announce('describe', new Uint8Array(1234));
    expect(ticket).toMatchObject({
      uploadId: 'UP0001',
      imageId: 'UP0002',
      url: 'http://127.0.0.1:4566/easel-images',
      expiresAt: '2026-11-22T09:15:00.000Z',
      maxBytes: 1234,
    });
    expect(ticket.fields).toMatchObject({ key: 'uploads/user-1/UP0001', 'Content-Type': 'image/png' });
    const policy = JSON.parse(Buffer.from(ticket.fields.Policy!, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 1234],
        ['eq', '$Content-Type', 'image/png'],
        { key: 'uploads/user-1/UP0001' },
        { bucket: 'easel-images' },
      ]),
    );
  });

  it('records the upload and, for describe, its PENDING image, both expiring unless the file comes', async () => {
    await announce('describe', new Uint8Array(10));
    expect(uploads.uploads.get('UP0001')).toMatchObject({
      purpose: 'describe',
      status: 'PENDING',
      imageId: 'UP0002',
      descriptionJobId: 'UP0003',
      expiresAt: Date.parse('2026-11-23T09:00:00.000Z') / 1000,
    });
  });

  it('refuses types other than PNG, JPEG and WebP (415) and sizes over 20 MB (413)', async () => {
    const create = (contentType: string, contentLength: number) =>
      refusal(
        createUpload(
          { uploads: uploads.store, signer, clock: fixedClock(), newId: sequentialIds() },
          ada,
          { contentType, contentLength, purpose: 'describe' },
          { correlationId: 'c' },
        ),
      );
    expect((await create('image/gif', 10)).status).toBe(415);
    expect((await create('image/png', 20 * 1024 * 1024 + 1)).status).toBe(413);
    expect(uploads.uploads.size).toBe(0);
  });

  it('writes the upload and its PENDING image in one transaction', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    dynamo.on(GetCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    const repository = uploadRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');
    await createUpload(
      { uploads: repository, signer, clock: fixedClock(), newId: sequentialIds() },
      ada,
      { contentType: 'image/jpeg', contentLength: 10, purpose: 'describe' },
      { correlationId: 'c' },
    );
    const [upload, image] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(upload!.Put!.Item).toMatchObject({ pk: 'UPLOAD#ID0001', sk: 'UPLOAD', status: 'PENDING' });
    expect(image!.Put!.Item).toMatchObject({
      pk: 'IMAGE#ID0002',
      status: 'PENDING',
      gsi1pk: 'OWNER#user-1#IMAGES',
      originalKey: 'images/ID0002/original.jpg',
    });
    // Its ticket joins the owner's pending ones only while fewer than 20 are held.
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'USER#user-1', sk: 'UPLOADS#PENDING' },
      UpdateExpression: 'SET tickets.#upload = :expires',
      ConditionExpression: 'size(tickets) < :most',
      ExpressionAttributeNames: { '#upload': 'ID0001' },
      ExpressionAttributeValues: { ':most': 20 },
    });
    dynamo.restore();
  });

  it('refuses a ticket past the pending ones a user may hold, with 429 and when the first expires', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    const now = Date.parse('2026-11-22T09:00:00.000Z') / 1000;
    const tickets = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`T${i}`, now + 100 + i]));
    dynamo.on(GetCommand).resolves({ Item: { tickets } });
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    const repository = uploadRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');
    const error = (await createUpload(
      { uploads: repository, signer, clock: fixedClock(), newId: sequentialIds() },
      ada,
      { contentType: 'image/jpeg', contentLength: 10, purpose: 'describe' },
      { correlationId: 'c' },
    ).catch((e) => e)) as DomainError;
    expect(error).toBeInstanceOf(DomainError);
    const answer = httpErrorOf(error)!;
    expect(answer.status).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
    expect(answer.headers?.['retry-after']).toBe('100');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
    dynamo.restore();
  });
});

describe('processing an uploaded object', () => {
  it('makes a describe upload its READY image, without metadata, queues its description and removes the raw object', async () => {
    const { key, ticket } = await announce('describe', await jpegWithGps(64, 32));
    expect(uploads.pending.has(ticket.uploadId)).toBe(true);
    expect(await processUpload(deps, key)).toBe('ready');
    // A used ticket no longer counts among the pending ones.
    expect(uploads.pending.has(ticket.uploadId)).toBe(false);
    const image = images.images.get('UP0002')!;
    expect(image).toMatchObject({
      status: 'READY',
      kind: 'uploaded',
      width: 32,
      height: 64,
      contentType: 'image/jpeg',
      descriptionStatus: 'PENDING',
      descriptionJobId: 'UP0003',
    });
    expect(image.expiresAt).toBeUndefined();
    const stored = await sharp(storage.objects.get('images/UP0002/original.jpg')!.body).metadata();
    expect(stored.exif).toBeUndefined();
    expect(hasGpsTag(stored.exif)).toBe(false);
    expect(storage.objects.has('images/UP0002/thumbnail.webp')).toBe(true);
    expect(storage.objects.has(key)).toBe(false);
    expect(jobs.jobs.get('UP0003')).toMatchObject({ type: 'description', request: { imageId: 'UP0002' } });
    expect(queue.send).toHaveBeenCalledWith({ jobId: 'UP0003', type: 'description' }, 'corr-up');
    expect(uploads.uploads.get('UP0001')!.status).toBe('READY');
  });

  it('ends a file that is not an image FAILED with the reason, image and upload alike, without throwing', async () => {
    const { key } = await announce('describe', Buffer.from('hello, I am a text file called photo.png'));
    expect(await processUpload(deps, key)).toBe('failed');
    expect(images.images.get('UP0002')).toMatchObject({
      status: 'FAILED',
      descriptionStatus: 'FAILED',
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/not a PNG, JPEG or WebP/) },
    });
    expect(uploads.uploads.get('UP0001')).toMatchObject({
      status: 'FAILED',
      error: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    expect(storage.objects.has(key)).toBe(false);
    expect(jobs.jobs.size).toBe(0);
  });

  it('ends a decompression bomb FAILED with the pixels it claimed', async () => {
    const { key } = await announce('describe', await pngBomb(30_000, 30_000));
    expect(await processUpload(deps, key)).toBe('failed');
    expect(images.images.get('UP0002')!.error?.message).toMatch(/30000×30000 pixels/);
  });

  it('refuses more bytes than were announced, wherever the policy was not enforced', async () => {
    const { key } = await announce('describe', await solidImage(8, 8), 10);
    expect(await processUpload(deps, key)).toBe('failed');
    expect(images.images.get('UP0002')!.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('stages an edit upload as PNG with alpha, and refuses a mask upload without alpha', async () => {
    const source = await announce('edit', await solidImage(40, 30, 'jpeg'));
    expect(await processUpload(deps, source.key)).toBe('ready');
    expect(uploads.uploads.get('UP0001')).toMatchObject({
      status: 'READY',
      stagedKey: 'staged/UP0001.png',
      width: 40,
      height: 30,
    });
    expect((await sharp(storage.objects.get('staged/UP0001.png')!.body).metadata()).hasAlpha).toBe(true);
    expect(images.images.size).toBe(0);

    uploads.uploads.clear();
    const mask = await announce('mask', await solidImage(40, 30));
    expect(await processUpload(deps, mask.key)).toBe('failed');
    expect(uploads.uploads.get('UP0001')!.error?.message).toMatch(/no alpha channel/);
  });

  it('does nothing twice: a redelivered event only removes what was posted again', async () => {
    const { key } = await announce('describe', await solidImage(8, 8));
    await processUpload(deps, key);
    await storage.storage.put(key, await solidImage(9, 9), 'image/png');
    expect(await processUpload(deps, key)).toBe('already-processed');
    expect(storage.objects.has(key)).toBe(false);
    expect(images.images.get('UP0002')!.width).toBe(8);
    expect(queue.send).toHaveBeenCalledTimes(1);
  });

  it('finishes after a crash between the image and its description', async () => {
    const { key } = await announce('describe', await solidImage(8, 8));
    queue.send.mockRejectedValueOnce(new Error('SQS is down'));
    await expect(processUpload(deps, key)).rejects.toThrow();
    expect(images.images.get('UP0002')!.status).toBe('READY');
    expect(await processUpload(deps, key)).toBe('ready');
    expect(uploads.uploads.get('UP0001')!.status).toBe('READY');
    expect(storage.objects.has(key)).toBe(false);
  });

  it('removes an object that no upload announced, or one under another user’s key', async () => {
    await storage.storage.put('uploads/user-1/NOBODY', new Uint8Array([1]), 'image/png');
    expect(await processUpload(deps, 'uploads/user-1/NOBODY')).toBe('ignored');
    const { ticket } = await announce('describe', new Uint8Array([1]));
    const forged = `uploads/user-2/${ticket.uploadId}`;
    await storage.storage.put(forged, await solidImage(8, 8), 'image/png');
    expect(await processUpload(deps, forged)).toBe('ignored');
    expect(storage.objects.has(forged)).toBe(false);
    expect(images.images.get('UP0002')!.status).toBe('PENDING');
  });

  it('fails a dead-lettered upload and its image, unless it was settled after all', async () => {
    const { key } = await announce('describe', await solidImage(8, 8));
    const error = { code: 'UPLOAD_FAILED', message: 'gave up' };
    expect(await failUploadOfObject(deps, key, error)).toBe(true);
    expect(images.images.get('UP0002')).toMatchObject({ status: 'FAILED', error });
    expect(await failUploadOfObject(deps, key, error)).toBe(false);
  });
});

describe('S3 notifications on the uploads queue', () => {
  it('yield the created keys, URL-decoded; nothing for a test event; undefined for anything else', () => {
    const sample = sampleEvent<SQSEvent>('sqs-s3-upload').Records[0]!;
    expect(createdObjectKeys(sample.body)).toEqual(['uploads/user-1/01JFAKEUPLOADÉ 1']);
    const removed = {
      Records: [{ eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'uploads/user-1/gone' } } }],
    };
    expect(createdObjectKeys(JSON.stringify(removed))).toEqual([]);
    expect(createdObjectKeys(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual([]);
    expect(createdObjectKeys('{"jobId":"J1","type":"generation"}')).toBeUndefined();
    expect(createdObjectKeys('not json')).toBeUndefined();
  });
});

describe('POST /api/images', () => {
  it('keeps a small image at once, without metadata, and queues its description', async () => {
    const image = await addImage(
      deps,
      ada,
      { image: await jpegWithGps(), title: 'Pier', describe: true },
      { correlationId: 'c' },
    );
    expect(image).toMatchObject({
      status: 'READY',
      title: 'Pier',
      descriptionStatus: 'PENDING',
      width: 32,
      height: 64,
    });
    expect((await sharp(storage.objects.get(image.originalKey)!.body).metadata()).exif).toBeUndefined();
    expect(queue.send).toHaveBeenCalledWith({ jobId: 'ID0002', type: 'description' }, 'c');
  });

  it('queues nothing when asked not to describe', async () => {
    const image = await addImage(
      deps,
      ada,
      { image: await solidImage(8, 8), describe: false },
      { correlationId: 'c' },
    );
    expect(image.descriptionStatus).toBe('NONE');
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('refuses over 4 MB with 413 pointing to /api/uploads, and stores nothing', async () => {
    const error = await refusal(
      addImage(
        deps,
        ada,
        { image: new Uint8Array(4 * 1024 * 1024 + 1), describe: true },
        { correlationId: 'c' },
      ),
    );
    expect([error.status, error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(error.message).toMatch(/POST \/api\/uploads/);
    expect(storage.objects.size).toBe(0);
  });
});

describe('the body POST /api/images takes', () => {
  // A synchronous Lambda invoke carries at most 6 MB of request, the event's JSON included.
  const lambdaMaxRequestBytes = 6 * 1024 * 1024;
  const file = new Uint8Array(limits.uploads.maxApiBytes).fill(7);
  const title = '🖼'.repeat(200);

  it('holds a 4 MB file base64-encoded in JSON, with its longest other fields', () => {
    const body = JSON.stringify({
      imageBase64: `data:image/png;base64,${Buffer.from(file).toString('base64')}`,
      filename: 'f'.repeat(255),
      title,
      describe: true,
    });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(apiUploadMaxBodyBytes);
  });

  it('holds a 4 MB file as multipart, with its framing', async () => {
    const form = new FormData();
    form.append('image', new Blob([file], { type: 'image/png' }), `${'f'.repeat(255)}.png`);
    form.append('title', title);
    form.append('describe', 'true');
    const body = await new Request('http://x/', { method: 'POST', body: form }).arrayBuffer();
    expect(body.byteLength).toBeLessThanOrEqual(apiUploadMaxBodyBytes);
    // API Gateway hands a multipart body to Lambda base64-encoded.
    expect(Math.ceil(body.byteLength / 3) * 4).toBeLessThan(lambdaMaxRequestBytes - 64 * 1024);
  });

  it('stays under Lambda’s 6 MB request, with room for the event around the body', () => {
    expect(apiUploadMaxBodyBytes).toBeLessThan(lambdaMaxRequestBytes - 64 * 1024);
  });
});
