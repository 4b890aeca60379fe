import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clientConfig } from '../../scripts/emulator/emulator.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { s3UploadSigner } from '../../shared/adapters/s3-object-storage.ts';
import { solidImage } from '../support/images.ts';
import { apiClient } from './support/api.ts';
import { objectKeys, postToStorage, waitForImage } from './support/images.ts';
import { startTestStack } from './support/stack.ts';

// Only the LocalStack run includes this file (vitest.config.ts, project `localstack`): moto
// stores whatever form it is sent, so there tests/integration/uploads.test.ts asserts the
// signed policy instead. Here S3 itself must refuse every form the policy does not allow.

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let user: { userId: string; token: string };

beforeAll(async () => {
  expect(inject('emulator')).toBe('localstack');
  stack = await startTestStack();
  api = apiClient(stack.url);
  user = await api.newUser('presigned@example.com');
});
afterAll(async () => {
  await stack?.stop();
});

type Ticket = { url: string; fields: Record<string, string>; imageId: string; uploadId: string };

async function ticketFor(bytes: Uint8Array, contentType: string): Promise<Ticket> {
  const answer = await api.call('POST', '/api/uploads', {
    token: user.token,
    body: { contentType, contentLength: bytes.length, purpose: 'describe' },
  });
  expect(answer.status).toBe(201);
  return answer.json;
}

const uploadKey = (ticket: Ticket) => `uploads/${user.userId}/${ticket.uploadId}`;

/** S3's XML error: its code and message. */
async function refusal(response: Response) {
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], text };
}

describe('S3 enforces the presigned POST of POST /api/uploads', () => {
  it('refuses a file over the declared size, and stores nothing', async () => {
    const png = await solidImage(64, 64, 'png');
    const ticket = await ticketFor(png.subarray(0, 100), 'image/png');
    const answer = await refusal(await postToStorage(ticket, png, 'image/png'));
    expect(answer).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(await objectKeys(stack, uploadKey(ticket))).toEqual([]);
  });

  it('refuses another content type than the one signed', async () => {
    const png = await solidImage(32, 32, 'png');
    const ticket = await ticketFor(png, 'image/png');
    const fields = { ...ticket.fields, 'Content-Type': 'text/html' };
    const answer = await refusal(await postToStorage({ ...ticket, fields }, png, 'text/html', 'x.html'));
    expect(answer).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(answer.text).toContain('Content-Type');
    expect(await objectKeys(stack, uploadKey(ticket))).toEqual([]);
  });

  it('refuses another key, such as a page under the public img/ prefix', async () => {
    const html = new TextEncoder().encode('<script>alert(1)</script>');
    const ticket = await ticketFor(html, 'image/png');
    const fields = { ...ticket.fields, key: 'img/x.html' };
    const answer = await refusal(await postToStorage({ ...ticket, fields }, html, 'image/png', 'x.html'));
    expect(answer).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await objectKeys(stack, 'img/x.html', uploadKey(ticket))).toEqual([]);
    const served = await fetch(`${stack.url}/img/x.html`);
    expect(served.status).toBeGreaterThanOrEqual(400);
  });

  it('refuses the form once its policy has expired', async () => {
    // The API signs for 15 minutes; its signer, given a second, shows S3 holding to the expiry.
    const s3 = new S3Client(clientConfig('S3', stack.stack.endpoint, stack.stack.region));
    try {
      const key = `uploads/${user.userId}/expired`;
      const form = await s3UploadSigner(s3, stack.stack.imageBucket).presignPost({
        key,
        contentType: 'image/png',
        maxBytes: 1000,
        expiresInSeconds: 1,
      });
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const answer = await refusal(await postToStorage(form, new Uint8Array(10), 'image/png'));
      expect(answer).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(answer.text).toContain('expired');
      expect(await objectKeys(stack, key)).toEqual([]);
    } finally {
      s3.destroy();
    }
  });

  // A form without any policy is an anonymous write, which S3 refuses for want of a grant (the
  // bucket blocks public access); LocalStack's free edition checks no grants, so that case is
  // the infra tier's (the bucket's settings), not this one's.
  it('refuses the policy without its signature fields', async () => {
    const png = await solidImage(32, 32, 'png');
    const ticket = await ticketFor(png, 'image/png');
    const { 'X-Amz-Signature': _signature, 'X-Amz-Credential': _credential, ...unsigned } = ticket.fields;
    const answer = await refusal(await postToStorage({ ...ticket, fields: unsigned }, png, 'image/png'));
    expect(answer).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect(answer.text).toContain('X-Amz-Signature');
    expect(await objectKeys(stack, uploadKey(ticket))).toEqual([]);
  });

  it('takes the form as signed, and the upload worker makes it an image through the bucket notification', async () => {
    const png = await solidImage(80, 48, 'png');
    const ticket = await ticketFor(png, 'image/png');
    expect((await postToStorage(ticket, png, 'image/png')).status).toBe(204);
    const image = await waitForImage(api, ticket.imageId, user.token, (json) => json.status === 'READY');
    expect(image).toMatchObject({ imageId: ticket.imageId, width: 80, height: 48, contentType: 'image/png' });
  });
});
