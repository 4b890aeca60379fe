import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { solidImage } from '../support/images.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

// What a user with an account tries in order to run up the bill: everything in parallel.
// The jobs queue is not worked here, so whatever was queued stays there to be counted.
let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ pollQueues: false });
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

async function uploadedImage(token: string): Promise<string> {
  const answer = await api.call('POST', '/api/images', {
    token,
    body: { imageBase64: (await solidImage(32, 32, 'png')).toString('base64'), describe: false },
  });
  expect(answer.status).toBe(202);
  return answer.json.imageId;
}

/** Waits, if need be, until at least `seconds` of the current minute are left: the limits count per minute. */
async function withinOneMinute(seconds: number) {
  const left = 60 - new Date().getUTCSeconds();
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 500));
}

describe('describing one image many times at once', () => {
  it('queues one description: every answer names the same job, one is counted', async () => {
    const user = await api.newUser('describer@example.com');
    const imageId = await uploadedImage(user.token);
    await withinOneMinute(40);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        api.call('POST', `/api/images/${imageId}/describe`, { token: user.token }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(202));
    expect(new Set(answers.map((answer) => answer.json.jobId)).size).toBe(1);
    const queued = await api.call('GET', '/api/jobs?status=QUEUED', { token: user.token });
    expect(queued.json.items.map((job: { jobId: string }) => job.jobId)).toEqual([answers[0]!.json.jobId]);
    const me = await api.call('GET', '/api/me', { token: user.token });
    expect(me.json.usage).toMatchObject({ descriptionsToday: 1, descriptionsPerDay: 100 });

    // The 31st describe of the minute is refused, with when to come back.
    const refused = await api.call('POST', `/api/images/${imageId}/describe`, { token: user.token });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('comments', () => {
  it('takes 30 comments a minute from one user; the 31st is 429 with Retry-After and adds nothing', async () => {
    const user = await api.newUser('chatty@example.com');
    const imageId = await uploadedImage(user.token);
    await withinOneMinute(40);
    const answers = await Promise.all(
      Array.from({ length: 31 }, (_, i) =>
        api.call('POST', `/api/images/${imageId}/comments`, {
          token: user.token,
          body: { text: `comment ${i}` },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(30).fill(201), 429]);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.json.error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('30 a minute'),
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const image = await api.call('GET', `/api/images/${imageId}`, { token: user.token });
    expect(image.json.commentCount).toBe(30);

    // Another user is not held back by this one.
    const other = await api.newUser('quiet@example.com');
    const otherImage = await uploadedImage(other.token);
    const allowed = await api.call('POST', `/api/images/${otherImage}/comments`, {
      token: other.token,
      body: { text: 'hello' },
    });
    expect(allowed.status).toBe(201);
  });
});

describe('upload tickets', () => {
  it('hands out 20 unused tickets at most; the 21st is 429 with when the first expires', async () => {
    const user = await api.newUser('hoarder@example.com');
    await withinOneMinute(40);
    const ask = () =>
      api.call('POST', '/api/uploads', {
        token: user.token,
        body: { contentType: 'image/png', contentLength: 20 * 1024 * 1024, purpose: 'describe' },
      });
    const answers = await Promise.all(Array.from({ length: 20 }, ask));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });
});

describe('the limits a client can read', () => {
  it('are in GET /api/config', async () => {
    const config = await api.call('GET', '/api/config');
    expect(config.json).toMatchObject({
      descriptionsPerDay: 100,
      maxPendingUploadTickets: 20,
      writeRatesPerMinute: {
        comments: 30,
        likes: 60,
        uploads: 30,
        characters: 20,
        describes: 30,
        shares: 60,
        profile: 10,
      },
    });
  });
});
