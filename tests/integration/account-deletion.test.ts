import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { keys, ownerIndex } from '../../shared/adapters/table-keys.ts';
import { apiClient } from './support/api.ts';
import { objectKeys } from './support/images.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;

function table() {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
}

/** Every item of the table: tests may scan, the product never does. */
async function allItems(): Promise<Record<string, unknown>[]> {
  const db = table();
  try {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: stack.stack.tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  } finally {
    db.destroy();
  }
}

async function generate(token: string, prompt: string, n: number): Promise<string[]> {
  const answer = await api.call('POST', '/api/generations', { token, body: { prompt, n } });
  const job = await api.waitForJob(answer.json.jobId, token);
  expect(job.status).toBe('SUCCEEDED');
  return job.imageIds;
}

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

describe('deleting an account', () => {
  it('deletes everything it owns, puts others’ counts right, ends its tokens at once and frees its e-mail', async () => {
    const ada = await api.newUser('ada@example.com');
    const bob = await api.newUser('bob@example.com');

    // Ada's work: images (one shared), comments on her own and on Bob's image, a character
    // with its portrait, and a like of Bob's image (an item of the likes design).
    const [shared, kept] = await generate(ada.token, 'A heron in the reeds at dawn', 2);
    expect((await api.call('POST', `/api/images/${shared}/share`, { token: ada.token })).status).toBe(200);
    const sharedDetail = await api.call('GET', `/api/images/${shared}`);
    const [bobs = ''] = await generate(bob.token, 'A fox in the snow', 1);
    await api.call('POST', `/api/images/${bobs}/share`, { token: bob.token });
    for (const [token, image, text] of [
      [ada.token, shared, 'My favourite.'],
      [ada.token, bobs, 'Lovely fox!'],
      [ada.token, bobs, 'The snow is perfect.'],
      [bob.token, shared, 'Beautiful heron.'],
      [bob.token, bobs, 'Thanks, everyone.'],
    ] as const) {
      expect(
        (await api.call('POST', `/api/images/${image}/comments`, { token, body: { text } })).status,
      ).toBe(201);
    }
    const character = await api.call('POST', '/api/characters', { token: ada.token, body: { name: 'Mira' } });
    expect(character.status).toBe(201);
    await api.waitForJob(character.json.jobId, ada.token);
    const portrait = (await api.waitForPortrait(character.json.characterId, ada.token))
      .portraitImageId as string;
    expect(portrait).toEqual(expect.any(String));
    const db = table();
    try {
      await db.send(
        new PutCommand({
          TableName: stack.stack.tableName,
          Item: {
            ...keys.like(bobs, ada.userId),
            imageId: bobs,
            userId: ada.userId,
            gsi1pk: ownerIndex.likes(ada.userId),
            gsi1sk: `${new Date().toISOString()}#${bobs}`,
          },
        }),
      );
      await db.send(
        new UpdateCommand({
          TableName: stack.stack.tableName,
          Key: keys.image(bobs),
          UpdateExpression: 'ADD likeCount :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } finally {
      db.destroy();
    }
    const adasImages = [shared!, kept!, portrait];
    expect((await allItems()).some((item) => JSON.stringify(item).includes(ada.userId))).toBe(true);

    const deleted = await api.call('DELETE', '/api/me', { token: ada.token });
    expect(deleted.status).toBe(202);
    // Her tokens stop at once, whatever the worker has done yet.
    for (const path of ['/api/me', '/api/images', '/api/characters']) {
      const refused = await api.call('GET', path, { token: ada.token });
      expect(refused.status).toBe(401);
      expect(refused.json.error.code).toBe('UNAUTHENTICATED');
    }

    // Cognito's user goes last: once the e-mail can sign up again, the deletion is done.
    const deadline = Date.now() + 120_000;
    let again = await api.call('POST', '/api/auth/signup', {
      body: { email: 'ada@example.com', password: 'Correct-Horse-9' },
    });
    while (again.status === 409 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      again = await api.call('POST', '/api/auth/signup', {
        body: { email: 'ada@example.com', password: 'Correct-Horse-9' },
      });
    }
    expect(again.status).toBe(201);
    expect(again.json.userId).not.toBe(ada.userId);

    // Nothing of hers is left in the table but the closed profile, which only refuses her
    // tokens until it expires.
    const items = await allItems();
    const hers = items.filter(
      (item) =>
        JSON.stringify(item).includes(ada.userId) ||
        adasImages.some((id) => JSON.stringify(item).includes(id)),
    );
    expect(hers).toEqual([
      {
        ...keys.profile(ada.userId),
        revokedBefore: expect.any(Number),
        expiresAt: expect.any(Number),
      },
    ]);
    const closed = hers[0]!;
    expect(closed.expiresAt as number).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 24 * 60 * 60);

    // No object of hers either: originals, thumbnails, public copies.
    const objects = await objectKeys(stack, 'images/', 'img/', 'jobs/');
    expect(objects.filter((key) => adasImages.some((id) => key.includes(id)))).toEqual([]);
    expect((await fetch(sharedDetail.json.urls.original)).status).toBe(404);
    expect(objects.some((key) => key.includes(bobs!))).toBe(true);
    const { items: invalidations } = (await (await fetch(`${stack.url}/__local/invalidations`)).json()) as {
      items: { paths: string[] }[];
    };
    expect(invalidations.flatMap((item) => item.paths)).toContain(
      new URL(sharedDetail.json.urls.original).pathname,
    );

    // Bob's image lost her two comments and her like; his own comment stays.
    const fox = await api.call('GET', `/api/images/${bobs}`, { token: bob.token });
    expect(fox.json.commentCount).toBe(1);
    expect(fox.json.comments.items.map((c: { text: string }) => c.text)).toEqual(['Thanks, everyone.']);
    expect(items.find((item) => item.pk === `IMAGE#${bobs}` && item.sk === 'IMAGE')?.likeCount).toBe(0);

    // Unreachable: her images, her profile, her place in the gallery.
    for (const id of adasImages)
      expect((await api.call('GET', `/api/images/${id}`, { token: bob.token })).status).toBe(404);
    expect((await api.call('GET', `/api/users/${ada.userId}`)).status).toBe(404);
    const gallery = await api.call('GET', '/api/gallery');
    expect(gallery.json.items.map((i: { imageId: string }) => i.imageId)).toEqual([bobs]);
    expect((await api.call('GET', '/api/me', { token: ada.token })).status).toBe(401);
    expect((await api.call('GET', '/api/me', { token: bob.token })).status).toBe(200);
  }, 300_000);

  it('is harmless for an account that owns nothing', async () => {
    const empty = await api.newUser('empty@example.com');
    expect((await api.call('DELETE', '/api/me', { token: empty.token })).status).toBe(202);
    expect((await api.call('GET', '/api/me', { token: empty.token })).status).toBe(401);
    const deadline = Date.now() + 60_000;
    let again = await api.call('POST', '/api/auth/signup', {
      body: { email: 'empty@example.com', password: 'Correct-Horse-9' },
    });
    while (again.status === 409 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      again = await api.call('POST', '/api/auth/signup', {
        body: { email: 'empty@example.com', password: 'Correct-Horse-9' },
      });
    }
    expect(again.status).toBe(201);
  }, 120_000);
});
