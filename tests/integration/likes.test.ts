import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let alice: { userId: string; token: string };
let bob: { userId: string; token: string };
/** Alice's images: two shared, one private. */
let shared: string[];
let secret: string;

async function generate(token: string, prompt: string, n: number): Promise<string[]> {
  const answer = await api.call('POST', '/api/generations', { token, body: { prompt, n, style: 'anime' } });
  const job = await api.waitForJob(answer.json.jobId, token);
  expect(job.status).toBe('SUCCEEDED');
  return job.imageIds;
}

const like = (imageId: string, token: string) => api.call('POST', `/api/images/${imageId}/like`, { token });
const unlike = (imageId: string, token: string) =>
  api.call('DELETE', `/api/images/${imageId}/like`, { token });
const ids = (page: { items: { imageId: string }[] }) => page.items.map((image) => image.imageId);

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.url);
  alice = await api.newUser('alice@example.com');
  bob = await api.newUser('bob@example.com');
  const made = await generate(alice.token, 'A lighthouse keeper feeding gulls', 3);
  shared = made.slice(0, 2);
  secret = made[2]!;
  for (const imageId of shared) {
    expect((await api.call('POST', `/api/images/${imageId}/share`, { token: alice.token })).status).toBe(200);
  }
}, 300_000);
afterAll(async () => {
  await stack?.stop();
});

describe('liking an image', () => {
  it('likes once however often asked, and unliking an image not liked answers false with the count', async () => {
    const [imageId] = shared as [string];
    expect((await like(imageId, bob.token)).json).toEqual({ imageId, liked: true, likeCount: 1 });
    expect((await like(imageId, bob.token)).json).toEqual({ imageId, liked: true, likeCount: 1 });
    expect((await unlike(imageId, alice.token)).json).toEqual({ imageId, liked: false, likeCount: 1 });
    expect((await unlike(imageId, bob.token)).json).toEqual({ imageId, liked: false, likeCount: 0 });
    expect((await unlike(imageId, bob.token)).json).toEqual({ imageId, liked: false, likeCount: 0 });
  });

  it('answers 404 for someone else’s private image, and lets the owner like their own', async () => {
    for (const answer of [await like(secret, bob.token), await unlike(secret, bob.token)]) {
      expect(answer.status).toBe(404);
      expect(answer.json.error.code).toBe('NOT_FOUND');
    }
    expect((await like('01UNKNOWN0000000000000000A', bob.token)).status).toBe(404);
    expect((await like(secret, alice.token)).json).toEqual({ imageId: secret, liked: true, likeCount: 1 });
    expect((await api.call('GET', `/api/images/${secret}`, { token: alice.token })).json).toMatchObject({
      likeCount: 1,
      likedByMe: true,
    });
    expect((await unlike(secret, alice.token)).json.likeCount).toBe(0);
  });

  it('needs a token', async () => {
    expect((await api.call('POST', `/api/images/${shared[0]}/like`)).status).toBe(401);
    expect((await api.call('GET', '/api/me/likes')).status).toBe(401);
  });

  it('counts exactly under 50 likes and unlikes at once from 10 people', async () => {
    const imageId = shared[1]!;
    const people = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.newUser(`crowd${i}@example.com`)),
    );
    // Each person's five actions come in order; the ten people all at once.
    const plans = people.map((_, i) => Array.from({ length: 5 }, (_, step) => (i + step) % 3 !== 0));
    const answers = await Promise.all(
      people.map(async (person, i) => {
        const statuses: number[] = [];
        for (const liked of plans[i]!) {
          statuses.push(
            (liked ? await like(imageId, person.token) : await unlike(imageId, person.token)).status,
          );
        }
        return statuses;
      }),
    );
    expect(answers.flat().every((status) => status === 200)).toBe(true);
    const likers = plans.filter((plan) => plan.at(-1)).length;
    const image = await api.call('GET', `/api/images/${imageId}`);
    expect(image.json.likeCount).toBe(likers);
    expect(image.json).not.toHaveProperty('likedByMe');
    for (const [i, person] of people.entries()) {
      const seen = await api.call('GET', `/api/images/${imageId}`, { token: person.token });
      expect(seen.json.likedByMe).toBe(plans[i]!.at(-1));
    }
    // A like does not change the count again.
    const again = await like(imageId, people.find((_, i) => plans[i]!.at(-1))!.token);
    expect(again.json.likeCount).toBe(likers);
  }, 300_000);
});

describe('the images I like and the gallery', () => {
  it('lists my liked images newest like first, page by page, and says so in the gallery', async () => {
    await like(shared[1]!, bob.token);
    await like(shared[0]!, bob.token);
    const first = await api.call('GET', '/api/me/likes?limit=1', { token: bob.token });
    expect(first.status).toBe(200);
    expect(ids(first.json)).toEqual([shared[0]]);
    expect(first.json.items[0]).toMatchObject({ likedByMe: true, likeCount: expect.any(Number) });
    const second = await api.call('GET', `/api/me/likes?limit=1&cursor=${first.json.nextCursor}`, {
      token: bob.token,
    });
    expect(ids(second.json)).toEqual([shared[1]]);
    const forged = await api.call('GET', `/api/me/likes?cursor=${first.json.nextCursor}`, {
      token: alice.token,
    });
    expect(forged.json.error.code).toBe('BAD_CURSOR');

    const mine = await api.call('GET', '/api/gallery', { token: bob.token });
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    const byId = new Map(mine.json.items.map((image: { imageId: string }) => [image.imageId, image]));
    expect(byId.get(shared[0]!)).toMatchObject({ likedByMe: true });
    const theirs = await api.call('GET', '/api/gallery', { token: alice.token });
    expect(theirs.json.items.every((image: { likedByMe: boolean }) => image.likedByMe === false)).toBe(true);
    const anonymous = await api.call('GET', '/api/gallery');
    expect(anonymous.headers.get('cache-control')).toBe('public, max-age=10');
    for (const image of anonymous.json.items) {
      expect(image).not.toHaveProperty('likedByMe');
      expect(Number.isInteger(image.likeCount)).toBe(true);
    }
    expect((await api.call('GET', '/api/gallery', { token: 'not-a-token' })).status).toBe(401);
  });

  it('sorts by likes and filters by style through the API, and refuses an unknown style', async () => {
    const popular = await api.call('GET', '/api/gallery?sort=popular&period=day&style=anime');
    expect(popular.status).toBe(200);
    const counts = popular.json.items.map((image: { likeCount: number }) => image.likeCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(ids(popular.json).sort()).toEqual([...shared].sort());
    const styled = await api.call('GET', '/api/gallery?style=anime&q=lightho');
    expect(ids(styled.json).sort()).toEqual([...shared].sort());
    expect(ids((await api.call('GET', '/api/gallery?style=watercolor')).json)).toEqual([]);
    const unknown = await api.call('GET', '/api/gallery?style=cubism');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(unknown.json.error)).toContain('cubism');
    expect((await api.call('GET', '/api/gallery?sort=popular&period=month')).status).toBe(400);
  });

  it('takes the likes of a deleted image with it', async () => {
    const [extra] = await generate(alice.token, 'A heron at dawn', 1);
    await api.call('POST', `/api/images/${extra}/share`, { token: alice.token });
    await like(extra!, bob.token);
    expect(ids((await api.call('GET', '/api/me/likes', { token: bob.token })).json)).toContain(extra);
    expect((await api.call('DELETE', `/api/images/${extra}`, { token: alice.token })).status).toBe(204);
    expect(ids((await api.call('GET', '/api/me/likes', { token: bob.token })).json)).not.toContain(extra);
    expect((await like(extra!, bob.token)).status).toBe(404);
    const all = await api.call('GET', '/api/gallery?sort=popular&period=all');
    expect(ids(all.json)).not.toContain(extra);
  }, 120_000);
});

describe('the like rate', () => {
  it('refuses the 61st like of a minute with 429 RATE_LIMITED and Retry-After', async () => {
    const left = 60 - new Date().getUTCSeconds();
    if (left < 40) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 500));
    const eager = await api.newUser('eager@example.com');
    const answers = [];
    for (let batch = 0; batch < 6; batch++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i + batch) % 2 ? like(shared[0]!, eager.token) : unlike(shared[0]!, eager.token),
          ),
        )),
      );
    }
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const refused = await like(shared[0]!, eager.token);
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 120_000);
});
