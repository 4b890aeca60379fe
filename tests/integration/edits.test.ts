import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { solidImage } from '../support/images.ts';
import { apiClient } from './support/api.ts';
import { download, formOf, objectKeys, postToStorage, waitForImage } from './support/images.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let ada: { userId: string; token: string };
let bo: { userId: string; token: string };

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.url);
  ada = await api.newUser('ada@example.com');
  bo = await api.newUser('bo@example.com');
});
afterAll(async () => {
  await stack?.stop();
});

const png = (file: Uint8Array, name = 'image.png') => ({ bytes: file, type: 'image/png', name });

/** An image of Ada's, added through the API without a description. */
async function adasImage(width = 64, height = 48) {
  const answer = await api.call('POST', '/api/images', {
    token: ada.token,
    form: formOf({ describe: 'false' }, { image: png(await solidImage(width, height)) }),
  });
  expect(answer.status).toBe(202);
  return answer.json;
}

/** A presigned upload of Ada's, processed by the upload worker; answers its id. */
async function adasUpload(file: Uint8Array, purpose: 'edit' | 'mask') {
  const ticket = await api.call('POST', '/api/uploads', {
    token: ada.token,
    body: { contentType: 'image/png', contentLength: file.length, purpose },
  });
  expect(ticket.status).toBe(201);
  expect(ticket.json.imageId).toBeUndefined();
  expect((await postToStorage(ticket.json, file, 'image/png', 'mask.png')).status).toBeLessThan(300);
  // Staged once the upload worker has written its validated PNG and then marked the upload READY.
  const uploadId = ticket.json.uploadId as string;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: stack.stack.tableName,
          Key: { pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' },
          ConsistentRead: true,
        }),
      );
      if (Item?.status === 'READY' && (await objectKeys(stack, `staged/${uploadId}`)).length > 0) break;
      if (Date.now() > deadline)
        throw new Error(`upload ${uploadId} was not staged: ${JSON.stringify(Item)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    db.destroy();
  }
  return uploadId;
}

async function imagesToday(token: string): Promise<number> {
  return (await api.call('GET', '/api/me', { token })).json.usage.imagesToday;
}

describe('an edit', () => {
  let source: { imageId: string; urls: { original: string }; updatedAt: string };
  let sourceBytes: Buffer;
  let editedId: string;
  let jobId: string;

  beforeAll(async () => {
    source = await adasImage(64, 48);
    sourceBytes = await download(source.urls.original);
  });

  it('with a mask makes a new edited image with parentImageId, leaving the source as it was', async () => {
    const maskUploadId = await adasUpload(await solidImage(64, 48, 'png', { alpha: true }), 'mask');
    const answer = await api.call('POST', '/api/edits', {
      token: ada.token,
      body: { imageId: source.imageId, maskUploadId, prompt: 'a red balloon in the empty half' },
    });
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ jobId: expect.any(String), status: 'QUEUED' });
    jobId = answer.json.jobId;
    const job = await api.waitForJob(jobId, ada.token);
    expect(job).toMatchObject({ type: 'edit', status: 'SUCCEEDED' });
    expect(job.imageIds).toHaveLength(1);
    editedId = job.imageIds[0];

    const edited = await api.call('GET', `/api/images/${editedId}`, { token: ada.token });
    expect(edited.json).toMatchObject({
      kind: 'edited',
      status: 'READY',
      parentImageId: source.imageId,
      prompt: 'a red balloon in the empty half',
      width: 64,
      height: 48,
    });
    expect((await sharp(await download(edited.json.urls.original)).metadata()).format).toBe('png');

    const after = await api.call('GET', `/api/images/${source.imageId}`, { token: ada.token });
    expect(after.json.updatedAt).toBe(source.updatedAt);
    expect((await download(after.json.urls.original)).equals(sourceBytes)).toBe(true);
  });

  it('takes the image and mask as multipart files too', async () => {
    const answer = await api.call('POST', '/api/edits', {
      token: ada.token,
      form: formOf(
        { prompt: 'a kite', n: '2' },
        {
          image: png(await solidImage(40, 30, 'png')),
          mask: png(await solidImage(40, 30, 'png', { alpha: true })),
        },
      ),
    });
    expect(answer.status).toBe(202);
    const job = await api.waitForJob(answer.json.jobId, ada.token);
    expect(job.imageIds).toHaveLength(2);
    const edited = await api.call('GET', `/api/images/${job.imageIds[0]}`, { token: ada.token });
    expect(edited.json).toMatchObject({ kind: 'edited', width: 40, height: 30 });
    expect(edited.json.parentImageId).toBeUndefined();
  });

  it('refuses a mask of other dimensions with 400 and the reason, by upload or by file', async () => {
    const maskUploadId = await adasUpload(await solidImage(32, 32, 'png', { alpha: true }), 'mask');
    const byUpload = await api.call('POST', '/api/edits', {
      token: ada.token,
      body: { imageId: source.imageId, maskUploadId, prompt: 'x' },
    });
    expect([byUpload.status, byUpload.json.error.code]).toEqual([400, 'INVALID_IMAGE']);
    expect(byUpload.json.error.message).toMatch(/mask is 32×32 pixels but the image is 64×48/);
    const byFile = await api.call('POST', '/api/edits', {
      token: ada.token,
      form: formOf(
        { prompt: 'x' },
        { image: png(await solidImage(40, 30)), mask: png(await solidImage(41, 30, 'png', { alpha: true })) },
      ),
    });
    expect(byFile.status).toBe(400);
  });

  it('answers 409 UPLOAD_NOT_READY for an upload not processed yet, and queues nothing', async () => {
    const before = await imagesToday(ada.token);
    const pending = async (purpose: 'edit' | 'mask') => {
      const ticket = await api.call('POST', '/api/uploads', {
        token: ada.token,
        body: { contentType: 'image/png', contentLength: 1000, purpose },
      });
      expect(ticket.status).toBe(201);
      // The file is never posted: the upload stays PENDING.
      return ticket.json.uploadId as string;
    };
    const byMask = await api.call('POST', '/api/edits', {
      token: ada.token,
      body: { imageId: source.imageId, maskUploadId: await pending('mask'), prompt: 'x' },
    });
    expect([byMask.status, byMask.json.error.code]).toEqual([409, 'UPLOAD_NOT_READY']);
    const bySource = await api.call('POST', '/api/edits', {
      token: ada.token,
      body: { uploadId: await pending('edit'), prompt: 'x' },
    });
    expect([bySource.status, bySource.json.error.code]).toEqual([409, 'UPLOAD_NOT_READY']);
    expect(await imagesToday(ada.token)).toBe(before);
  });

  it('edits an uploaded source by its uploadId', async () => {
    const uploadId = await adasUpload(await solidImage(50, 20, 'png'), 'edit');
    const answer = await api.call('POST', '/api/edits', {
      token: ada.token,
      body: { uploadId, prompt: 'make it night' },
    });
    expect(answer.status, JSON.stringify(answer.json)).toBe(202);
    const job = await api.waitForJob(answer.json.jobId, ada.token);
    expect(job.status).toBe('SUCCEEDED');
    expect(
      (await api.call('GET', `/api/images/${job.imageIds[0]}`, { token: ada.token })).json,
    ).toMatchObject({
      width: 50,
      height: 20,
    });
  });

  it('blocked by moderation ends FAILED with MODERATION_BLOCKED and gives the quota back', async () => {
    const before = await imagesToday(ada.token);
    const answer = await api.call('POST', '/api/edits', {
      token: ada.token,
      body: { imageId: source.imageId, prompt: 'something forbidden [fake:moderation]', n: 3 },
    });
    expect(answer.status).toBe(202);
    const job = await api.waitForJob(answer.json.jobId, ada.token);
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'MODERATION_BLOCKED' } });
    expect(job.error.message).toMatch(/safety system/);
    expect(await imagesToday(ada.token)).toBe(before);
  });

  it('answers the same Idempotency-Key and body with the first answer', async () => {
    const headers = { 'idempotency-key': 'edit-once' };
    const body = { imageId: source.imageId, prompt: 'once' };
    const first = await api.call('POST', '/api/edits', { token: ada.token, body, headers });
    const again = await api.call('POST', '/api/edits', { token: ada.token, body, headers });
    expect(again.json).toEqual(first.json);
    const other = await api.call('POST', '/api/edits', {
      token: ada.token,
      body: { ...body, prompt: 'twice' },
      headers,
    });
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await api.waitForJob(first.json.jobId, ada.token);
  });

  it('of an image is deleted with every object and item of the image', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
    // A comment in the image's partition, as the comment routes keep them.
    await db.send(
      new PutCommand({
        TableName: stack.stack.tableName,
        Item: { pk: `IMAGE#${editedId}`, sk: 'COMMENT#01', text: 'nice' },
      }),
    );
    // Original, thumbnail and display copy; the edit's source and mask.
    expect(await objectKeys(stack, `images/${editedId}/`, `jobs/${jobId}/`)).toHaveLength(5);

    const answer = await api.call('DELETE', `/api/images/${editedId}`, { token: ada.token });
    expect(answer.status).toBe(204);
    expect((await api.call('GET', `/api/images/${editedId}`, { token: ada.token })).status).toBe(404);
    expect(await objectKeys(stack, `images/${editedId}/`, `jobs/${jobId}/`)).toEqual([]);
    const { Items } = await db.send(
      new QueryCommand({
        TableName: stack.stack.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `IMAGE#${editedId}` },
      }),
    );
    db.destroy();
    expect(Items).toEqual([]);
    expect((await api.call('DELETE', `/api/images/${editedId}`, { token: ada.token })).status).toBe(404);
    // The source of the edit is another image and stays.
    expect((await api.call('GET', `/api/images/${source.imageId}`, { token: ada.token })).status).toBe(200);
  });
});

describe('descriptions on request', () => {
  it('describes one of my images again, as a description job', async () => {
    const image = await adasImage(30, 20);
    const answer = await api.call('POST', `/api/images/${image.imageId}/describe`, { token: ada.token });
    expect(answer.status).toBe(202);
    const job = await api.waitForJob(answer.json.jobId, ada.token);
    expect(job).toMatchObject({ type: 'description', status: 'SUCCEEDED', imageIds: [image.imageId] });
    const described = await waitForImage(
      api,
      image.imageId,
      ada.token,
      (i) => i.descriptionStatus === 'READY',
    );
    expect(described.description).toMatch(/^A 30×20 PNG image/);
  });
});

describe('someone else’s image', () => {
  let image: { imageId: string };

  beforeAll(async () => {
    image = await adasImage();
  });

  it('cannot be described, edited or deleted by another user (404), and stays', async () => {
    const describe = await api.call('POST', `/api/images/${image.imageId}/describe`, { token: bo.token });
    expect([describe.status, describe.json.error.code]).toEqual([404, 'NOT_FOUND']);
    const edit = await api.call('POST', '/api/edits', {
      token: bo.token,
      body: { imageId: image.imageId, prompt: 'mine now' },
    });
    expect(edit.status).toBe(404);
    const remove = await api.call('DELETE', `/api/images/${image.imageId}`, { token: bo.token });
    expect(remove.status).toBe(404);
    expect((await api.call('GET', `/api/images/${image.imageId}`, { token: ada.token })).json.status).toBe(
      'READY',
    );
    expect((await api.call('GET', '/api/jobs', { token: bo.token })).json.items).toEqual([]);
  });

  it('cannot be used through another user’s upload id either', async () => {
    const uploadId = await adasUpload(await solidImage(20, 20), 'edit');
    const edit = await api.call('POST', '/api/edits', { token: bo.token, body: { uploadId, prompt: 'x' } });
    expect(edit.status).toBe(404);
  });
});
