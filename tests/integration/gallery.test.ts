import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import type { Json } from '../support/json.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let alice: { userId: string; token: string };
let bob: { userId: string; token: string };
/** Alice's images, newest first. */
let pictures: string[];
/** The public address of pictures[2] while it was first shared. */
let firstAddress: string;

/** The paths the functions asked the CDN to forget, as the local CloudFront stand-in received them. */
async function invalidatedPaths(): Promise<string[]> {
  const { items } = (await (await fetch(`${stack.url}/__local/invalidations`)).json()) as {
    items: { paths: string[] }[];
  };
  return items.flatMap((item) => item.paths);
}

async function generate(token: string, prompt: string, n: number): Promise<string[]> {
  const answer = await api.call('POST', '/api/generations', { token, body: { prompt, n } });
  const job = await api.waitForJob(answer.json.jobId, token);
  expect(job.status).toBe('SUCCEEDED');
  return job.imageIds;
}

async function gallery(query = ''): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = await api.call(
      'GET',
      `/api/gallery?limit=50${query}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.status).toBe(200);
    ids.push(...page.json.items.map((image: { imageId: string }) => image.imageId));
    cursor = page.json.nextCursor;
  } while (cursor);
  return ids;
}

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.url);
  alice = await api.newUser('alice@example.com');
  bob = await api.newUser('bob@example.com');
  const first = await generate(alice.token, 'A café terrace in Paris at night', 1);
  const rest = await generate(alice.token, 'Lighthouse on a stormy coast', 2);
  pictures = [...rest.reverse(), ...first];
});
afterAll(async () => {
  await stack?.stop();
});

describe('my images', () => {
  it('lists my images newest first, page by page, and by kind', async () => {
    const first = await api.call('GET', '/api/images?limit=2', { token: alice.token });
    expect(first.json.items.map((i: { imageId: string }) => i.imageId)).toEqual(pictures.slice(0, 2));
    const second = await api.call('GET', `/api/images?limit=2&cursor=${first.json.nextCursor}`, {
      token: alice.token,
    });
    expect(second.json.items.map((i: { imageId: string }) => i.imageId)).toEqual(pictures.slice(2));
    expect(second.json.nextCursor).toBeNull();
    expect(
      (await api.call('GET', '/api/images?kind=generated', { token: alice.token })).json.items,
    ).toHaveLength(3);
    expect((await api.call('GET', '/api/images?kind=uploaded', { token: alice.token })).json.items).toEqual(
      [],
    );
    expect((await api.call('GET', '/api/images', { token: bob.token })).json.items).toEqual([]);
  });

  it('refuses a forged cursor and someone else’s with 400 BAD_CURSOR', async () => {
    const page = await api.call('GET', '/api/images?limit=1', { token: alice.token });
    for (const [cursor, token] of [
      [`${page.json.nextCursor}x`, alice.token],
      [page.json.nextCursor, bob.token],
      ['not-a-cursor', alice.token],
    ]) {
      const answer = await api.call('GET', `/api/images?limit=1&cursor=${cursor}`, { token });
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe('BAD_CURSOR');
    }
  });
});

describe('sharing, the public gallery and its search', () => {
  it('keeps private images out of the gallery', async () => {
    expect(await gallery()).toEqual([]);
    expect((await api.call('GET', `/api/images/${pictures[0]}`)).status).toBe(404);
  });

  it('shares an image: it joins the gallery, served by the CDN path, visible to anyone', async () => {
    const shared = await api.call('POST', `/api/images/${pictures[2]}/share`, { token: alice.token });
    expect(shared.status).toBe(200);
    expect(shared.json.isPublic).toBe(true);
    // Under an unguessable token, not the image id.
    expect(shared.json.urls.original).toMatch(new RegExp(`^${stack.url}/img/[\\w-]{22}/original\\.png$`));
    expect(shared.json.urls.original).not.toContain(pictures[2]);
    expect(shared.json).not.toHaveProperty('publicToken');
    firstAddress = shared.json.urls.original;
    expect((await fetch(firstAddress)).status).toBe(200);
    const image = await fetch(shared.json.urls.thumbnail);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(shared.json.urls.display).toBe(firstAddress.replace(/original\.png$/, 'display.webp'));
    const display = await fetch(shared.json.urls.display);
    expect([display.status, display.headers.get('content-type')]).toEqual([200, 'image/webp']);
    expect(await gallery()).toEqual([pictures[2]]);
    const anonymous = await api.call('GET', `/api/images/${pictures[2]}`);
    expect(anonymous.json).toMatchObject({ imageId: pictures[2], ownerName: 'alice', isPublic: true });
  });

  it('lets the edge keep anonymous reads of the gallery and a public image for seconds, and nothing asked with a token', async () => {
    const shared = 'public, max-age=0, s-maxage=5, stale-while-revalidate=10';
    const cacheControl = async (path: string, token?: string) =>
      (await api.call('GET', path, { token })).headers.get('cache-control');
    expect(await cacheControl('/api/gallery')).toBe(shared);
    expect(await cacheControl(`/api/images/${pictures[2]}`)).toBe(shared);
    expect(await cacheControl(`/api/images/${pictures[2]}/comments`)).toBe(shared);
    expect(await cacheControl('/api/gallery', alice.token)).toBe('private, no-store');
    expect(await cacheControl(`/api/images/${pictures[2]}`, alice.token)).toBe('private, no-store');
    const hidden = await api.call('GET', `/api/images/${pictures[1]}`);
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('cache-control')).toBe('private, no-store');
    expect(await cacheControl('/api/images', alice.token)).toBe('private, no-store');
  });

  it('finds shared images by the words of prompt and title, whatever the case and accents, all words required', async () => {
    await api.call('POST', `/api/images/${pictures[0]}/share`, { token: alice.token });
    expect(await gallery('&q=CAFE%20paris')).toEqual([pictures[2]]);
    expect(await gallery('&q=lighthouse')).toEqual([pictures[0]]);
    expect(await gallery('&q=lighthouse%20paris')).toEqual([]);
    const titled = await api.call('PATCH', `/api/images/${pictures[0]}`, {
      token: alice.token,
      body: { title: 'Phare dans la tempête' },
    });
    expect(titled.json.title).toBe('Phare dans la tempête');
    expect(await gallery('&q=tempete%20lighthouse')).toEqual([pictures[0]]);
    await api.call('PATCH', `/api/images/${pictures[0]}`, { token: alice.token, body: { title: null } });
    expect(await gallery('&q=tempete')).toEqual([]);
  });

  it('pages the gallery newest first with a signed cursor', async () => {
    await api.call('PATCH', `/api/images/${pictures[1]}`, { token: alice.token, body: { isPublic: true } });
    const first = await api.call('GET', '/api/gallery?limit=2');
    expect(first.json.items.map((i: { imageId: string }) => i.imageId)).toEqual(pictures.slice(0, 2));
    const second = await api.call('GET', `/api/gallery?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((i: { imageId: string }) => i.imageId)).toEqual([pictures[2]]);
    expect(
      (await api.call('GET', `/api/gallery?limit=2&q=paris&cursor=${first.json.nextCursor}`)).status,
    ).toBe(400);
  });

  it('unshares: the image leaves the gallery, its search and the CDN path at once', async () => {
    const unshared = await api.call('DELETE', `/api/images/${pictures[2]}/share`, { token: alice.token });
    expect(unshared.json.isPublic).toBe(false);
    expect(unshared.json.urls.original).not.toContain('/img/');
    expect(await gallery()).not.toContain(pictures[2]);
    expect(await gallery('&q=paris')).toEqual([]);
    expect((await fetch(firstAddress)).status).toBe(404);
    expect((await fetch(firstAddress.replace(/original\.png$/, 'display.webp'))).status).toBe(404);
    expect(await invalidatedPaths()).toEqual(
      expect.arrayContaining([
        new URL(firstAddress).pathname,
        new URL(firstAddress).pathname.replace('original.png', 'thumbnail.webp'),
      ]),
    );
    expect((await api.call('GET', `/api/images/${pictures[2]}`, { token: bob.token })).status).toBe(404);
  });

  it('shares again under a new address; the old one stays gone', async () => {
    const again = await api.call('POST', `/api/images/${pictures[2]}/share`, { token: alice.token });
    expect(again.json.urls.original).not.toBe(firstAddress);
    expect((await fetch(again.json.urls.original)).status).toBe(200);
    expect((await fetch(firstAddress)).status).toBe(404);
    await api.call('DELETE', `/api/images/${pictures[2]}/share`, { token: alice.token });
  });

  it('lets only the owner change or delete an image: 403 for a shared one, 404 for a private one', async () => {
    expect(
      (await api.call('PATCH', `/api/images/${pictures[0]}`, { token: bob.token, body: { title: 'mine' } }))
        .status,
    ).toBe(403);
    expect((await api.call('POST', `/api/images/${pictures[0]}/share`, { token: bob.token })).status).toBe(
      403,
    );
    expect((await api.call('DELETE', `/api/images/${pictures[0]}`, { token: bob.token })).status).toBe(403);
    expect(
      (await api.call('PATCH', `/api/images/${pictures[2]}`, { token: bob.token, body: { title: 'mine' } }))
        .status,
    ).toBe(404);
  });
});

describe('comments', () => {
  it('lets anyone who can see the image comment, newest first, counted on the image', async () => {
    const first = await api.call('POST', `/api/images/${pictures[0]}/comments`, {
      token: bob.token,
      body: { text: 'Great waves' },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ authorId: bob.userId, authorName: 'bob', text: 'Great waves' });
    await api.call('POST', `/api/images/${pictures[0]}/comments`, {
      token: alice.token,
      body: { text: 'Thanks!' },
    });
    const detail = await api.call('GET', `/api/images/${pictures[0]}`);
    expect(detail.json.commentCount).toBe(2);
    expect(detail.json.comments.items.map((c: { text: string }) => c.text)).toEqual([
      'Thanks!',
      'Great waves',
    ]);
    const page = await api.call('GET', `/api/images/${pictures[0]}/comments?limit=1`);
    const next = await api.call(
      'GET',
      `/api/images/${pictures[0]}/comments?limit=1&cursor=${page.json.nextCursor}`,
    );
    expect(next.json.items[0].text).toBe('Great waves');
    expect(
      (
        await api.call('POST', `/api/images/${pictures[2]}/comments`, {
          token: bob.token,
          body: { text: 'peek' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.call('POST', `/api/images/${pictures[0]}/comments`, {
          token: bob.token,
          body: { text: 'x'.repeat(2001) },
        })
      ).status,
    ).toBe(400);
  });

  it('lets the author edit (403 for others) and the author or image owner delete', async () => {
    const comment = (
      await api.call('POST', `/api/images/${pictures[0]}/comments`, {
        token: bob.token,
        body: { text: 'typo' },
      })
    ).json;
    const path = `/api/images/${pictures[0]}/comments/${comment.commentId}`;
    expect((await api.call('PATCH', path, { token: alice.token, body: { text: 'hijacked' } })).status).toBe(
      403,
    );
    const edited = await api.call('PATCH', path, { token: bob.token, body: { text: 'fixed' } });
    expect(edited.json.text).toBe('fixed');
    const carol = await api.newUser('carol@example.com');
    expect((await api.call('DELETE', path, { token: carol.token })).status).toBe(403);
    expect((await api.call('DELETE', path, { token: alice.token })).status).toBe(204);
    expect((await api.call('GET', `/api/images/${pictures[0]}`)).json.commentCount).toBe(2);
  });

  it('keeps commentCount exact under concurrent adds and deletes', async () => {
    const before = (await api.call('GET', `/api/images/${pictures[1]}`)).json.commentCount;
    const added = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.call('POST', `/api/images/${pictures[1]}/comments`, {
          token: bob.token,
          body: { text: `c${i}` },
        }),
      ),
    );
    expect(added.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect((await api.call('GET', `/api/images/${pictures[1]}`)).json.commentCount).toBe(before + 8);
    await Promise.all(
      added.map((answer) =>
        api.call('DELETE', `/api/images/${pictures[1]}/comments/${answer.json.commentId}`, {
          token: bob.token,
        }),
      ),
    );
    expect((await api.call('GET', `/api/images/${pictures[1]}`)).json.commentCount).toBe(before);
  });
});

describe('a shared image described after it was shared', () => {
  it('is found by the words of its description once the description arrives', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#d04010' } })
      .png()
      .toBuffer();
    const added = await api.call('POST', '/api/images', {
      token: alice.token,
      body: { imageBase64: png.toString('base64'), title: 'Ember' },
    });
    expect(added.status).toBe(202);
    const imageId = added.json.imageId;
    await api.call('POST', `/api/images/${imageId}/share`, { token: alice.token });
    const deadline = Date.now() + 60_000;
    let image = (await api.call('GET', `/api/images/${imageId}`)).json;
    while (image.descriptionStatus !== 'READY' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      image = (await api.call('GET', `/api/images/${imageId}`)).json;
    }
    expect(image.description).toMatch(/64×48/);
    expect(await gallery('&q=ember%2064%C3%9748')).toEqual([imageId]);
    expect(await gallery('&q=ember%20DOMINATED')).toEqual([imageId]);
  });
});

describe('deleting a shared image', () => {
  it('removes it from the gallery and its search, with its comments, and its public address answers 404', async () => {
    const shown = await api.call('GET', `/api/images/${pictures[0]}`);
    const address = shown.json.urls.original as string;
    expect((await fetch(address)).status).toBe(200);
    expect((await api.call('DELETE', `/api/images/${pictures[0]}`, { token: alice.token })).status).toBe(204);
    expect((await fetch(address)).status).toBe(404);
    expect(await invalidatedPaths()).toContain(new URL(address).pathname);
    expect(await gallery()).not.toContain(pictures[0]);
    expect(await gallery('&q=lighthouse%20stormy')).toEqual([pictures[1]]);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
    const partition = await db.send(
      new QueryCommand({
        TableName: stack.stack.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `IMAGE#${pictures[0]}` },
      }),
    );
    const entries = await db.send(
      new QueryCommand({
        TableName: stack.stack.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': 'WORD#lighthouse', ':sk': `IMAGE#${pictures[0]}` },
      }),
    );
    db.destroy();
    expect(partition.Items).toEqual([]);
    expect(entries.Items).toEqual([]);
  });
});
