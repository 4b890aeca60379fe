import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxiedRequest } from '../../scripts/emulator/recording-proxy.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { imageItem } from '../../shared/adapters/image-repository.ts';
import { keys } from '../../shared/adapters/table-keys.ts';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import { apiClient } from './support/api.ts';
import { download } from './support/images.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let alice: { userId: string; token: string };
let bob: { userId: string; token: string };
/** Alice's three images, newest first. */
let pictures: string[];

/** The DynamoDB calls api-gallery made, with the items each could read (a Query's Limit, a BatchGet's keys). */
const galleryReads: { operation: string; items: number }[] = [];

function recordGalleryRead(functionName: string | undefined, request: ProxiedRequest) {
  const target = request.headers['x-amz-target'];
  if (functionName !== 'api-gallery' || typeof target !== 'string' || !target.startsWith('DynamoDB')) return;
  const operation = target.split('.')[1]!;
  const body = JSON.parse(request.body?.toString() ?? '{}');
  const items =
    operation === 'Query'
      ? Number(body.Limit ?? Number.POSITIVE_INFINITY)
      : operation === 'BatchGetItem'
        ? Object.values(body.RequestItems as Record<string, { Keys: unknown[] }>).reduce(
            (sum, request) => sum + request.Keys.length,
            0,
          )
        : 1;
  galleryReads.push({ operation, items });
}

beforeAll(async () => {
  stack = await startTestStack({ onAwsRequest: recordGalleryRead });
  api = apiClient(stack.url);
  alice = await api.newUser('alice@example.com');
  bob = await api.newUser('bob@example.com');
  const answer = await api.call('POST', '/api/generations', {
    token: alice.token,
    body: { prompt: 'A lighthouse on a stormy coast', n: 3 },
  });
  const job = await api.waitForJob(answer.json.jobId, alice.token);
  expect(job.status).toBe('SUCCEEDED');
  pictures = [...job.imageIds].sort().reverse();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const ids = (page: { json: { items: { imageId: string }[] } }) => page.json.items.map((i) => i.imageId);

describe('profiles', () => {
  it('answers a user’s public profile, and 404 for an unknown user', async () => {
    await api.call('PATCH', '/api/me', { token: alice.token, body: { bio: 'I paint the sea.' } });
    const profile = await api.call('GET', `/api/users/${alice.userId}`);
    expect(profile.status).toBe(200);
    expect(profile.json).toEqual({
      userId: alice.userId,
      displayName: 'alice',
      bio: 'I paint the sea.',
      publicImageCount: 0,
      joinedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(JSON.stringify(profile.json)).not.toContain('alice@example.com');
    // A profile is made at a user's first request; Bob's says he wrote no bio.
    await api.call('GET', '/api/me', { token: bob.token });
    const bobs = await api.call('GET', `/api/users/${bob.userId}`);
    expect(bobs.json.bio).toBe('');
    const unknown = await api.call('GET', '/api/users/nobody-at-all');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('NOT_FOUND');
  });

  it('lists a user’s public images newest first, counted as they are shared, unshared and deleted', async () => {
    for (const id of pictures) {
      expect((await api.call('POST', `/api/images/${id}/share`, { token: alice.token })).status).toBe(200);
    }
    // Sharing what is shared already counts nothing twice.
    await api.call('POST', `/api/images/${pictures[0]}/share`, { token: alice.token });
    expect((await api.call('GET', `/api/users/${alice.userId}`)).json.publicImageCount).toBe(3);

    const first = await api.call('GET', `/api/users/${alice.userId}/images?limit=2`);
    expect(first.status).toBe(200);
    expect(ids(first)).toEqual(pictures.slice(0, 2));
    expect(first.json.items[0].urls.original).toMatch(new RegExp(`^${stack.url}/img/`));
    const second = await api.call(
      'GET',
      `/api/users/${alice.userId}/images?limit=2&cursor=${first.json.nextCursor}`,
    );
    expect(ids(second)).toEqual(pictures.slice(2));
    expect(second.json.nextCursor).toBeNull();
    // A cursor of Alice's listing does not page through Bob's.
    const foreign = await api.call(
      'GET',
      `/api/users/${bob.userId}/images?limit=2&cursor=${first.json.nextCursor}`,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.json.error.code).toBe('BAD_CURSOR');

    await api.call('DELETE', `/api/images/${pictures[1]}/share`, { token: alice.token });
    await api.call('DELETE', `/api/images/${pictures[1]}/share`, { token: alice.token });
    expect((await api.call('GET', `/api/users/${alice.userId}`)).json.publicImageCount).toBe(2);
    expect(ids(await api.call('GET', `/api/users/${alice.userId}/images`))).toEqual([
      pictures[0],
      pictures[2],
    ]);

    expect((await api.call('DELETE', `/api/images/${pictures[2]}`, { token: alice.token })).status).toBe(204);
    expect((await api.call('GET', `/api/users/${alice.userId}`)).json.publicImageCount).toBe(1);
    expect(ids(await api.call('GET', `/api/users/${alice.userId}/images`))).toEqual([pictures[0]]);
    expect(ids(await api.call('GET', `/api/users/${bob.userId}/images`))).toEqual([]);
  });
});

describe('downloads', () => {
  it('sends the owner to the original under its title, with an ASCII name and the exact one', async () => {
    const image = pictures[1]!;
    await api.call('PATCH', `/api/images/${image}`, {
      token: alice.token,
      body: { title: 'Café at night / "blue"' },
    });
    const answer = await fetch(`${stack.url}/api/images/${image}/download`, {
      headers: { authorization: `Bearer ${alice.token}` },
      redirect: 'manual',
    });
    expect(answer.status).toBe(302);
    const location = answer.headers.get('location')!;
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="Cafe at night blue.png"; filename*=UTF-8''Caf%C3%A9%20at%20night%20blue.png`,
    );
    const detail = await api.call('GET', `/api/images/${image}`, { token: alice.token });
    expect(Buffer.from(await file.arrayBuffer()).equals(await download(detail.json.urls.original))).toBe(
      true,
    );
  });

  it('lets anyone download a shared image, named by its prompt, and nobody else’s private one', async () => {
    const shared = await fetch(`${stack.url}/api/images/${pictures[0]}/download`, { redirect: 'manual' });
    expect(shared.status).toBe(302);
    const file = await fetch(shared.headers.get('location')!);
    expect(file.headers.get('content-disposition')).toBe(
      'attachment; filename="A lighthouse on a stormy coast.png"',
    );
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(100);

    for (const token of [bob.token, undefined]) {
      const refused = await api.call('GET', `/api/images/${pictures[1]}/download`, { token });
      expect(refused.status).toBe(404);
      expect(refused.json.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('link previews', () => {
  it('answers a shared image’s link with its card tags, escaped, and a way on to its page', async () => {
    await api.call('PATCH', `/api/images/${pictures[0]}`, {
      token: alice.token,
      body: { title: 'Waves <b>&</b> "rocks"' },
    });
    const answer = await fetch(`${stack.url}/s/${pictures[0]}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await answer.text();
    const detail = await api.call('GET', `/api/images/${pictures[0]}`);
    const meta = (key: string) =>
      new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`).exec(page)?.[1];
    expect(meta('og:title')).toBe('Waves &lt;b&gt;&amp;&lt;/b&gt; &quot;rocks&quot;');
    expect(meta('og:description')).toBe('A lighthouse on a stormy coast');
    expect(meta('og:image')).toBe(detail.json.urls.original);
    expect(meta('og:image')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/img\//);
    expect(meta('twitter:card')).toBe('summary_large_image');
    const imagePage = `${stack.url}/images/${pictures[0]}`;
    expect(page).toContain(`<meta http-equiv="refresh" content="0; url=${imagePage}">`);
    expect(page).toContain(`<a href="${imagePage}">`);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<b>');
    // The image the card names is there to fetch.
    expect((await fetch(meta('og:image')!)).status).toBe(200);
  });

  it('answers a private, deleted or unknown image with a plain 404 page', async () => {
    for (const id of [pictures[1], pictures[2], '01JD0000000000000000000000', 'not%20an%20id']) {
      const answer = await fetch(`${stack.url}/s/${id}`);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await answer.text();
      expect(page).toContain('There is no shared image at this address.');
      expect(page).not.toContain('og:');
    }
  });
});

describe('the cost of a profile page', () => {
  const seeded = 'seeded-painter';
  let written = 0;

  async function seed(upTo: number) {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
    try {
      const now = new Date().toISOString();
      if (written === 0) {
        await db.send(
          new PutCommand({
            TableName: stack.stack.tableName,
            Item: {
              ...keys.profile(seeded),
              userId: seeded,
              email: 'seeded@example.com',
              displayName: 'Seeded',
              createdAt: now,
              updatedAt: now,
              publicImageCount: 0,
            },
          }),
        );
      }
      const items: Record<string, unknown>[] = [];
      for (let n = written; n < upTo; n++) {
        const imageId = `01SEED${String(n).padStart(20, '0')}`;
        const image: ImageRecord = {
          imageId,
          ownerId: seeded,
          ownerName: 'Seeded',
          kind: 'generated',
          status: 'READY',
          prompt: `seeded ${n}`,
          descriptionStatus: 'NONE',
          isPublic: true,
          width: 64,
          height: 64,
          contentType: 'image/png',
          originalKey: `images/${imageId}/original.png`,
          thumbnailKey: `images/${imageId}/thumbnail.webp`,
          commentCount: 0,
          publicToken: `token${n}`,
          createdAt: now,
          updatedAt: now,
        };
        items.push(imageItem(image), { ...keys.publicImage(seeded, imageId), imageId });
      }
      for (let start = 0; start < items.length; start += 25) {
        let pending: Record<string, unknown>[] | undefined = items
          .slice(start, start + 25)
          .map((Item) => ({ PutRequest: { Item } }));
        while (pending?.length) {
          const result = await db.send(
            new BatchWriteCommand({ RequestItems: { [stack.stack.tableName]: pending as never } }),
          );
          pending = result.UnprocessedItems?.[stack.stack.tableName] as Record<string, unknown>[] | undefined;
        }
      }
      written = upTo;
    } finally {
      db.destroy();
    }
  }

  async function pageCost() {
    galleryReads.length = 0;
    const profile = await api.call('GET', `/api/users/${seeded}`);
    const first = await api.call('GET', `/api/users/${seeded}/images?limit=20`);
    const second = await api.call(
      'GET',
      `/api/users/${seeded}/images?limit=20&cursor=${encodeURIComponent(first.json.nextCursor)}`,
    );
    expect(profile.status).toBe(200);
    expect(first.json.items).toHaveLength(20);
    expect(second.json.items).toHaveLength(20);
    expect(ids(second)[0]! < ids(first)[19]!).toBe(true);
    return {
      reads: [...galleryReads],
      newest: ids(first)[0],
    };
  }

  it('reads the same DynamoDB calls and items with 100 public images as with 5,000', async () => {
    await seed(100);
    const small = await pageCost();
    expect(small.newest).toBe(`01SEED${String(99).padStart(20, '0')}`);
    await seed(5_000);
    const large = await pageCost();
    expect(large.newest).toBe(`01SEED${String(4_999).padStart(20, '0')}`);
    console.log(
      `profile page with 100 and 5,000 public images: ${small.reads.length} DynamoDB calls each (${small.reads.map((r) => `${r.operation} ≤${r.items}`).join(', ')})`,
    );
    expect(large.reads).toEqual(small.reads);
    expect(small.reads.every((read) => Number.isFinite(read.items) && read.items <= 20)).toBe(true);
  }, 900_000);
});
