import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { queues } from '../../shared/resources.ts';
import { apiClient } from './support/api.ts';
import { waitUntilDrained } from './support/queues.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;

const quotaPerDay = 12;

beforeAll(async () => {
  stack = await startTestStack({ settings: { QUOTA_PER_DAY: String(quotaPerDay) } });
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

async function fakeCalls(prompt: string): Promise<number> {
  const calls = (await (await fetch(`${stack.providerUrl!.replace(/\/v1$/, '')}/__fake/calls`)).json()) as {
    prompt?: string;
  }[];
  return calls.filter((call) => call.prompt?.includes(prompt)).length;
}

async function imagesToday(token: string): Promise<number> {
  return (await api.call('GET', '/api/me', { token })).json.usage.imagesToday;
}

async function imageRecordsOf(userId: string) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
  const { Items } = await db.send(
    new QueryCommand({
      TableName: stack.stack.tableName,
      IndexName: 'byOwner',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `OWNER#${userId}#IMAGES` },
    }),
  );
  db.destroy();
  return Items ?? [];
}

describe('a generation from request to stored images', () => {
  let user: { userId: string; token: string };
  let job: { jobId: string; imageIds: string[] };

  beforeAll(async () => {
    user = await api.newUser('painter@example.com');
  });

  it('accepts a generation with 202 and a QUEUED job', async () => {
    const answer = await api.call('POST', '/api/generations', {
      token: user.token,
      body: { prompt: 'a lighthouse at dusk', style: 'watercolor', size: '1536x1024', n: 2 },
    });
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ jobId: expect.any(String), status: 'QUEUED' });
    job = await api.waitForJob(answer.json.jobId, user.token);
  });

  it('ends SUCCEEDED with two images of the requested size, original and thumbnail', async () => {
    expect(job).toMatchObject({ status: 'SUCCEEDED', type: 'generation' });
    expect(job.imageIds).toHaveLength(2);
    for (const imageId of job.imageIds) {
      const image = await api.call('GET', `/api/images/${imageId}`, { token: user.token });
      expect(image.status).toBe(200);
      expect(image.json).toMatchObject({
        imageId,
        ownerId: user.userId,
        ownerName: 'painter',
        kind: 'generated',
        status: 'READY',
        prompt: 'a lighthouse at dusk',
        style: 'watercolor',
        size: '1536x1024',
        width: 1536,
        height: 1024,
        contentType: 'image/png',
        isPublic: false,
        comments: { items: [], nextCursor: null },
      });
      const originalBytes = Buffer.from(await (await fetch(image.json.urls.original)).arrayBuffer());
      const original = await sharp(originalBytes).metadata();
      expect([original.format, original.width, original.height]).toEqual(['png', 1536, 1024]);
      // The copy pages show: the same pixels' size as WebP, lighter than the PNG.
      const displayBytes = Buffer.from(await (await fetch(image.json.urls.display)).arrayBuffer());
      const display = await sharp(displayBytes).metadata();
      expect([display.format, display.width, display.height]).toEqual(['webp', 1536, 1024]);
      expect(displayBytes.length).toBeLessThan(originalBytes.length);
      const thumbnail = await sharp(
        Buffer.from(await (await fetch(image.json.urls.thumbnail)).arrayBuffer()),
      ).metadata();
      expect(thumbnail.format).toBe('webp');
      expect(thumbnail.width).toBeLessThanOrEqual(512);
    }
  });

  it('counts the images against today’s quota', async () => {
    expect(await imagesToday(user.token)).toBe(2);
  });

  it('makes no extra image when the same job message is delivered again', async () => {
    const before = await fakeCalls('a lighthouse at dusk');
    const sqs = new SQSClient({ region: stack.stack.region });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.stack.jobsQueueUrl,
        MessageBody: JSON.stringify({ jobId: job.jobId, type: 'generation' }),
      }),
    );
    // Handled (and deleted) once the queue is empty.
    await waitUntilDrained(sqs, stack.stack.jobsQueueUrl);
    sqs.destroy();
    expect(await fakeCalls('a lighthouse at dusk')).toBe(before);
    expect(await imageRecordsOf(user.userId)).toHaveLength(2);
    expect((await api.call('GET', `/api/jobs/${job.jobId}`, { token: user.token })).json.imageIds).toEqual(
      job.imageIds,
    );
  });

  it('hides the job and its images from another user (404)', async () => {
    const other = await api.newUser('stranger@example.com');
    expect((await api.call('GET', `/api/jobs/${job.jobId}`, { token: other.token })).status).toBe(404);
    expect((await api.call('GET', `/api/images/${job.imageIds[0]}`, { token: other.token })).status).toBe(
      404,
    );
    expect((await api.call('GET', `/api/images/${job.imageIds[0]}`)).status).toBe(404);
  });

  it('lists the jobs newest first, by status, page by page with a signed cursor', async () => {
    await api.call('POST', '/api/generations', { token: user.token, body: { prompt: 'second' } });
    const first = await api.call('GET', '/api/jobs?limit=1', { token: user.token });
    expect(first.json.items).toHaveLength(1);
    expect(first.json.items[0].jobId).not.toBe(job.jobId);
    const second = await api.call('GET', `/api/jobs?limit=1&cursor=${first.json.nextCursor}`, {
      token: user.token,
    });
    expect(second.json.items[0].jobId).toBe(job.jobId);
    const succeeded = await api.call('GET', '/api/jobs?status=SUCCEEDED', { token: user.token });
    expect(succeeded.json.items.map((j: { jobId: string }) => j.jobId)).toContain(job.jobId);
    const forged = await api.call('GET', `/api/jobs?cursor=${first.json.nextCursor}x`, { token: user.token });
    expect(forged.status).toBe(400);
    expect(forged.json.error.code).toBe('BAD_CURSOR');
    const other = await api.newUser('cursor-thief@example.com');
    const foreign = await api.call('GET', `/api/jobs?limit=1&cursor=${first.json.nextCursor}`, {
      token: other.token,
    });
    expect(foreign.json.error.code).toBe('BAD_CURSOR');
  });
});

describe('provider failures', () => {
  let user: { userId: string; token: string };

  beforeAll(async () => {
    user = await api.newUser('unlucky@example.com');
  });

  async function generate(prompt: string, n = 1) {
    const answer = await api.call('POST', '/api/generations', { token: user.token, body: { prompt, n } });
    expect(answer.status).toBe(202);
    return api.waitForJob(answer.json.jobId, user.token);
  }

  it('fails a moderation block at once with MODERATION_BLOCKED, the provider’s reason, and the quota back', async () => {
    const before = await imagesToday(user.token);
    const job = await generate('something forbidden [fake:moderation]', 2);
    expect(job.status).toBe('FAILED');
    expect(job.error.code).toBe('MODERATION_BLOCKED');
    expect(job.error.message).toMatch(/safety system/);
    expect(await fakeCalls('something forbidden')).toBe(1);
    expect(await imagesToday(user.token)).toBe(before);
  });

  it('retries a 500 and ends SUCCEEDED with exactly the requested images', async () => {
    const job = await generate('a fox in snow [fake:error]', 2);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.imageIds).toHaveLength(2);
    expect(await fakeCalls('a fox in snow')).toBe(2);
  });

  it('retries a 429 after its retry-after and ends SUCCEEDED with exactly the requested images', async () => {
    const job = await generate('a busy market [fake:rate-limit]', 3);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.imageIds).toHaveLength(3);
    expect(await fakeCalls('a busy market')).toBe(3);
  });

  it('fails through the DLQ with UPSTREAM_UNAVAILABLE when the provider never recovers, and gives the quota back', async () => {
    const before = await imagesToday(user.token);
    const job = await generate('a doomed request [fake:fail-always]');
    expect(job.status).toBe('FAILED');
    expect(job.error.code).toBe('UPSTREAM_UNAVAILABLE');
    // One call per receive: the message moves to the dead-letter queue after maxReceiveCount.
    expect(await fakeCalls('a doomed request')).toBe(queues.jobs.maxReceiveCount);
    expect(await imagesToday(user.token)).toBe(before);
  });
});

describe('requests that are refused', () => {
  let user: { userId: string; token: string };

  beforeAll(async () => {
    user = await api.newUser('careful@example.com');
  });

  it.each([
    ['an unknown style', { prompt: 'x', style: 'cubism-deluxe' }, 'style'],
    ['an unknown size', { prompt: 'x', size: '999x999' }, 'size'],
    ['an empty prompt', { prompt: '' }, 'prompt'],
    ['a 4001-character prompt', { prompt: 'p'.repeat(4001) }, 'prompt'],
    ['n: 5', { prompt: 'x', n: 5 }, 'n'],
  ])('rejects %s with 400 naming the field, and queues nothing', async (_case, body, field) => {
    const answer = await api.call('POST', '/api/generations', { token: user.token, body });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('VALIDATION_FAILED');
    expect(answer.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await api.call('GET', '/api/jobs', { token: user.token })).json.items).toEqual([]);
  });

  it('refuses someone else’s character and a made-up one with 404, queueing nothing and taking no quota', async () => {
    const victim = await api.newUser('character-owner@example.com');
    const attacker = await api.newUser('character-thief@example.com');
    const theirs = await api.call('POST', '/api/characters', {
      token: victim.token,
      body: { name: 'Mira Okafor', generatePortrait: false },
    });
    expect(theirs.status).toBe(201);
    for (const characterId of [theirs.json.characterId, '01JDMADEUPCHARACTER000000']) {
      const answer = await api.call('POST', '/api/generations', {
        token: attacker.token,
        body: { prompt: 'a portrait', characterId },
      });
      expect(answer.status, characterId).toBe(404);
      expect(answer.json.error.code).toBe('NOT_FOUND');
      expect(answer.json.error.message).not.toContain('Mira');
    }
    expect((await api.call('GET', '/api/jobs', { token: attacker.token })).json.items).toEqual([]);
    expect(await imagesToday(attacker.token)).toBe(0);

    const mine = await api.call('POST', '/api/characters', {
      token: attacker.token,
      body: { name: 'Own Hero', generatePortrait: false },
    });
    const own = await api.call('POST', '/api/generations', {
      token: attacker.token,
      body: { prompt: 'a portrait', characterId: mine.json.characterId },
    });
    expect(own.status).toBe(202);
    const done = await api.waitForJob(own.json.jobId, attacker.token);
    const image = await api.call('GET', `/api/images/${done.imageIds[0]}`, { token: attacker.token });
    expect(image.json.characterId).toBe(mine.json.characterId);
  });

  it('answers the same Idempotency-Key and body with the first answer, and another body with 409', async () => {
    const headers = { 'idempotency-key': 'order-42' };
    const body = { prompt: 'a red bicycle', n: 1 };
    const first = await api.call('POST', '/api/generations', { token: user.token, body, headers });
    const again = await api.call('POST', '/api/generations', { token: user.token, body, headers });
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    const jobs = (await api.call('GET', '/api/jobs', { token: user.token })).json.items;
    expect(jobs).toHaveLength(1);
    const other = await api.call('POST', '/api/generations', {
      token: user.token,
      body: { ...body, prompt: 'a blue bicycle' },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await api.waitForJob(first.json.jobId, user.token);
  });

  it('refuses work over the daily quota with 429 QUOTA_EXCEEDED and Retry-After', async () => {
    const quota = await api.newUser('prolific@example.com');
    for (let used = 0; used + 4 <= quotaPerDay; used += 4) {
      expect(
        (await api.call('POST', '/api/generations', { token: quota.token, body: { prompt: 'more', n: 4 } }))
          .status,
      ).toBe(202);
    }
    const over = await api.call('POST', '/api/generations', {
      token: quota.token,
      body: { prompt: 'more', n: 1 },
    });
    expect(over.status).toBe(429);
    expect(over.json.error.code).toBe('QUOTA_EXCEEDED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await imagesToday(quota.token)).toBe(quotaPerDay);
  });
});
