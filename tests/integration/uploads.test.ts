import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { hasGpsTag, jpegWithGps, noisePng, pngBomb, solidImage } from '../support/images.ts';
import { readJson } from '../support/json.ts';
import { apiClient } from './support/api.ts';
import { download, formOf, objectKeys, postToStorage, waitForImage } from './support/images.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let user: { userId: string; token: string };

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.url);
  user = await api.newUser('uploader@example.com');
});
afterAll(async () => {
  await stack?.stop();
});

const described = (image: { descriptionStatus: string }) => image.descriptionStatus !== 'PENDING';

async function ticketFor(bytes: Uint8Array, contentType: string, purpose = 'describe') {
  const answer = await api.call('POST', '/api/uploads', {
    token: user.token,
    body: { contentType, contentLength: bytes.length, purpose },
  });
  expect(answer.status).toBe(201);
  return answer.json;
}

describe('a presigned upload', () => {
  it('hands out a POST policy pinned to the key, the declared type and size', async () => {
    const ticket = await ticketFor(new Uint8Array(4321), 'image/webp');
    expect(ticket).toMatchObject({
      uploadId: expect.any(String),
      imageId: expect.any(String),
      url: expect.stringContaining(stack.stack.imageBucket),
      maxBytes: 4321,
    });
    expect(Date.parse(ticket.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    // moto accepts any form: it does not check the policy, so the policy itself is what is asserted.
    const policy = JSON.parse(Buffer.from(ticket.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 4321],
        ['eq', '$Content-Type', 'image/webp'],
        { key: `uploads/${user.userId}/${ticket.uploadId}` },
      ]),
    );
  });

  it('of a PNG becomes, through the S3 event, a READY image with a description', async () => {
    const png = await solidImage(96, 64, 'png');
    const ticket = await ticketFor(png, 'image/png');
    const pending = await api.call('GET', `/api/images/${ticket.imageId}`, { token: user.token });
    expect(pending.json).toMatchObject({ status: 'PENDING', descriptionStatus: 'PENDING', kind: 'uploaded' });

    expect((await postToStorage(ticket, png, 'image/png')).status).toBeLessThan(300);
    const image = await waitForImage(api, ticket.imageId, user.token, described);
    expect(image).toMatchObject({
      imageId: ticket.imageId,
      status: 'READY',
      kind: 'uploaded',
      width: 96,
      height: 64,
      contentType: 'image/png',
      descriptionStatus: 'READY',
      description: expect.stringMatching(/^A 96×64 PNG image dominated by/),
    });
    const thumbnail = await sharp(await download(image.urls.thumbnail)).metadata();
    expect(thumbnail.format).toBe('webp');
    // Nothing raw is kept once the upload is processed.
    expect(await objectKeys(stack, `uploads/${user.userId}/${ticket.uploadId}`)).toEqual([]);
  });

  it('of a JPEG with GPS in its EXIF is stored upright and without any EXIF', async () => {
    const jpeg = await jpegWithGps(64, 32);
    expect(hasGpsTag((await sharp(jpeg).metadata()).exif)).toBe(true);
    const ticket = await ticketFor(jpeg, 'image/jpeg');
    await postToStorage(ticket, jpeg, 'image/jpeg', 'IMG_0001.JPG');
    const image = await waitForImage(api, ticket.imageId, user.token, (i) => i.status !== 'PENDING');
    expect(image).toMatchObject({ status: 'READY', width: 32, height: 64, contentType: 'image/jpeg' });
    const stored = await sharp(await download(image.urls.original)).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
    expect([stored.width, stored.height]).toEqual([32, 64]);
  });

  it('of a text file called .png ends FAILED with the reason', async () => {
    const text = Buffer.from('this is not an image, whatever its name says\n');
    const ticket = await ticketFor(text, 'image/png');
    await postToStorage(ticket, text, 'image/png', 'holiday.png');
    const image = await waitForImage(api, ticket.imageId, user.token, (i) => i.status !== 'PENDING');
    expect(image).toMatchObject({
      status: 'FAILED',
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/not a PNG, JPEG or WebP/) },
    });
    expect(await objectKeys(stack, `uploads/${user.userId}/${ticket.uploadId}`)).toEqual([]);
  });

  it('of a 30000×30000 PNG bomb ends FAILED for its pixels, without decoding it', async () => {
    const bomb = await pngBomb(30_000, 30_000);
    const rssBefore = process.memoryUsage().rss;
    const ticket = await ticketFor(bomb, 'image/png');
    await postToStorage(ticket, bomb, 'image/png');
    const image = await waitForImage(api, ticket.imageId, user.token, (i) => i.status !== 'PENDING');
    expect(image).toMatchObject({
      status: 'FAILED',
      error: { code: 'INVALID_IMAGE', message: expect.stringMatching(/30000×30000 pixels/) },
    });
    // The worker runs in this process: decoding would have needed at least 900 MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
  });

  it('refuses to hand out a form for another type (415) or over 20 MB (413)', async () => {
    const post = (body: unknown) => api.call('POST', '/api/uploads', { token: user.token, body });
    expect((await post({ contentType: 'image/gif', contentLength: 10, purpose: 'describe' })).status).toBe(
      415,
    );
    const big = await post({
      contentType: 'image/png',
      contentLength: 20 * 1024 * 1024 + 1,
      purpose: 'edit',
    });
    expect([big.status, big.json.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });
});

describe('POST /api/images', () => {
  const png = () => solidImage(48, 40, 'png');

  it('takes a multipart file and answers 202 with the image, its description under way', async () => {
    const answer = await api.call('POST', '/api/images', {
      token: user.token,
      form: formOf(
        { title: 'Blue field' },
        { image: { bytes: await png(), type: 'image/png', name: 'blue.png' } },
      ),
    });
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({
      status: 'READY',
      kind: 'uploaded',
      title: 'Blue field',
      width: 48,
      height: 40,
      descriptionStatus: 'PENDING',
    });
    const image = await waitForImage(api, answer.json.imageId, user.token, described);
    expect(image).toMatchObject({
      descriptionStatus: 'READY',
      description: expect.stringMatching(/48×40 PNG/),
    });
  });

  it.each([
    ['bare base64', (bytes: Buffer) => bytes.toString('base64')],
    ['a data URI', (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`],
  ])('takes JSON with %s', async (_case, encode) => {
    const answer = await api.call('POST', '/api/images', {
      token: user.token,
      body: { imageBase64: encode(await png()), filename: 'blue.png' },
    });
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ status: 'READY', descriptionStatus: 'PENDING' });
    expect((await waitForImage(api, answer.json.imageId, user.token, described)).descriptionStatus).toBe(
      'READY',
    );
  });

  it('describes nothing when asked not to', async () => {
    const answer = await api.call('POST', '/api/images', {
      token: user.token,
      form: formOf(
        { describe: 'false' },
        { image: { bytes: await png(), type: 'image/png', name: 'a.png' } },
      ),
    });
    expect(answer.json.descriptionStatus).toBe('NONE');
  });

  it('stores a JPEG with GPS in its EXIF without it', async () => {
    const answer = await api.call('POST', '/api/images', {
      token: user.token,
      body: { imageBase64: (await jpegWithGps()).toString('base64'), describe: false },
    });
    expect(answer.status).toBe(202);
    const stored = await sharp(await download(answer.json.urls.original)).metadata();
    expect(stored.exif).toBeUndefined();
  });

  it('refuses a text file named .png with 415, by multipart or JSON', async () => {
    const text = Buffer.from('plain text pretending to be a picture');
    const multipart = await api.call('POST', '/api/images', {
      token: user.token,
      form: formOf({}, { image: { bytes: text, type: 'image/png', name: 'photo.png' } }),
    });
    expect([multipart.status, multipart.json.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const json = await api.call('POST', '/api/images', {
      token: user.token,
      body: { imageBase64: `data:image/png;base64,${text.toString('base64')}`, filename: 'photo.png' },
    });
    expect(json.status).toBe(415);
  });

  it('refuses 6 MB with 413, pointing to /api/uploads, by multipart or JSON', async () => {
    const six = Buffer.concat([await png(), Buffer.alloc(6 * 1024 * 1024)]);
    const multipart = await api.call('POST', '/api/images', {
      token: user.token,
      form: formOf({}, { image: { bytes: six, type: 'image/png', name: 'big.png' } }),
    });
    expect([multipart.status, multipart.json.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(multipart.json.error.message).toMatch(/POST \/api\/uploads/);
    const json = await api.call('POST', '/api/images', {
      token: user.token,
      body: { imageBase64: six.toString('base64') },
    });
    expect([json.status, json.json.error.message]).toEqual([
      413,
      expect.stringMatching(/POST \/api\/uploads/),
    ]);
  });

  it('refuses a 30000×30000 PNG bomb with 400 and the reason', async () => {
    const answer = await api.call('POST', '/api/images', {
      token: user.token,
      form: formOf(
        {},
        { image: { bytes: await pngBomb(30_000, 30_000), type: 'image/png', name: 'bomb.png' } },
      ),
    });
    expect([answer.status, answer.json.error.code]).toEqual([400, 'INVALID_IMAGE']);
    expect(answer.json.error.message).toMatch(/30000×30000 pixels/);
  });

  it('refuses a body that is neither JSON nor multipart with 415, and a broken form with 400', async () => {
    const text = await api.call('POST', '/api/images', {
      token: user.token,
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const broken = await fetch(`${stack.url}/api/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'multipart/form-data; boundary=abc' },
      body: '--abc\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\nnever ends',
    });
    expect(broken.status).toBe(400);
    expect((await readJson(broken)).error.code).toBe('INVALID_MULTIPART');
  });
});

describe('the 4 MB limit of POST /api/images', () => {
  const megabyte = 1024 * 1024;
  let fiveMegabytes: Buffer;

  beforeAll(async () => {
    fiveMegabytes = await noisePng(5 * megabyte);
    expect(fiveMegabytes.length).toBeGreaterThan(4.9 * megabyte);
  });

  const myImages = async () =>
    (await api.call('GET', '/api/images?limit=50', { token: user.token })).json.items.map(
      (image: { imageId: string }) => image.imageId,
    );

  it('refuses a 5 MB image sent as multipart with 413 in the error format, and changes nothing', async () => {
    const imagesBefore = await myImages();
    const objectsBefore = await objectKeys(stack, '');
    const answer = await api.call('POST', '/api/images', {
      token: user.token,
      form: formOf(
        { title: 'Static' },
        { image: { bytes: fiveMegabytes, type: 'image/png', name: 'static.png' } },
      ),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.json).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/4 MB.*POST \/api\/uploads/) },
      requestId: expect.any(String),
    });
    expect(await myImages()).toEqual(imagesBefore);
    expect(await objectKeys(stack, '')).toEqual(objectsBefore);
  });

  it('takes an image just under 4 MB, as multipart', async () => {
    const justUnder = await noisePng(4 * megabyte - 16 * 1024);
    expect(justUnder.length).toBeGreaterThan(3.95 * megabyte);
    expect(justUnder.length).toBeLessThan(4 * megabyte);
    const answer = await api.call('POST', '/api/images', {
      token: user.token,
      form: formOf(
        { describe: 'false' },
        { image: { bytes: justUnder, type: 'image/png', name: 'static.png' } },
      ),
    });
    expect(answer.status).toBe(202);
    const { height } = await sharp(justUnder).metadata();
    expect(answer.json).toMatchObject({ status: 'READY', kind: 'uploaded', width: 1024, height });
  });

  it('takes the same 5 MB image through POST /api/uploads, where it becomes an image', async () => {
    const ticket = await ticketFor(fiveMegabytes, 'image/png');
    expect(ticket.maxBytes).toBe(fiveMegabytes.length);
    expect((await postToStorage(ticket, fiveMegabytes, 'image/png', 'static.png')).status).toBeLessThan(300);
    const image = await waitForImage(api, ticket.imageId, user.token, (i) => i.status !== 'PENDING', 60_000);
    const { width, height } = await sharp(fiveMegabytes).metadata();
    expect(image).toMatchObject({
      imageId: ticket.imageId,
      status: 'READY',
      kind: 'uploaded',
      width,
      height,
      contentType: 'image/png',
    });
    expect(await myImages()).toContain(ticket.imageId);
  });
});
