import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import {
  type LikeStore,
  type LikeWrite,
  likedByViewer,
  listMyLikes,
  setLike,
} from '../../shared/domain/likes/likes.ts';
import type { DomainError } from '../../shared/errors.ts';
import { fixedClock, memoryImageStore, sequentialIds } from './support/memory-ports.ts';

const image = (imageId: string, overrides: Partial<ImageRecord> = {}): ImageRecord => ({
  imageId,
  ownerId: 'alice',
  ownerName: 'Alice',
  kind: 'generated',
  status: 'READY',
  prompt: 'a fox',
  descriptionStatus: 'NONE',
  isPublic: true,
  width: 1024,
  height: 1024,
  contentType: 'image/png',
  originalKey: `images/${imageId}/original.png`,
  thumbnailKey: `images/${imageId}/thumbnail.webp`,
  commentCount: 0,
  createdAt: '2026-11-22T09:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
  ...overrides,
});

/** Likes in memory, with a way to make the next writes find the image changed. */
function memoryLikes(images: Map<string, ImageRecord>) {
  const liked = new Map<string, string[]>();
  let staleWrites = 0;
  const count = (imageId: string) => [...liked.values()].filter((ids) => ids.includes(imageId)).length;
  const likes: LikeStore & { staleNext(n: number): void; batchReads: number } = {
    batchReads: 0,
    staleNext(n) {
      staleWrites = n;
    },
    async like(record, userId): Promise<LikeWrite> {
      if (staleWrites-- > 0) return { outcome: 'stale' };
      const mine = liked.get(userId) ?? [];
      if (mine.includes(record.imageId)) return { outcome: 'unchanged', likeCount: count(record.imageId) };
      liked.set(userId, [record.imageId, ...mine]);
      return { outcome: 'changed', likeCount: count(record.imageId) };
    },
    async unlike(record, userId): Promise<LikeWrite> {
      if (staleWrites-- > 0) return { outcome: 'stale' };
      const mine = liked.get(userId) ?? [];
      if (!mine.includes(record.imageId)) return { outcome: 'unchanged', likeCount: count(record.imageId) };
      liked.set(
        userId,
        mine.filter((id) => id !== record.imageId),
      );
      return { outcome: 'changed', likeCount: count(record.imageId) };
    },
    async likedAmong(userId, imageIds) {
      likes.batchReads++;
      return new Set(imageIds.filter((id) => liked.get(userId)?.includes(id)));
    },
    async listLiked(userId, { limit }) {
      return { items: (liked.get(userId) ?? []).slice(0, limit) };
    },
  };
  return { likes, images };
}

let store: ReturnType<typeof memoryImageStore>;
let likes: ReturnType<typeof memoryLikes>['likes'];
let deps: Parameters<typeof setLike>[0];

beforeEach(async () => {
  store = memoryImageStore();
  await store.store.putIfAbsent(image('PUB'));
  await store.store.putIfAbsent(image('PRIV', { isPublic: false }));
  likes = memoryLikes(store.images).likes;
  deps = { images: store.store, likes, clock: fixedClock(), newId: sequentialIds('LIKE') };
});

describe('setLike', () => {
  it('likes a shared image once, however often it is asked', async () => {
    expect(await setLike(deps, 'bob', 'PUB', true)).toEqual({ imageId: 'PUB', liked: true, likeCount: 1 });
    expect(await setLike(deps, 'bob', 'PUB', true)).toEqual({ imageId: 'PUB', liked: true, likeCount: 1 });
    expect(await setLike(deps, 'carol', 'PUB', true)).toEqual({ imageId: 'PUB', liked: true, likeCount: 2 });
  });

  it('answers liked false with the count when unliking an image not liked', async () => {
    await setLike(deps, 'carol', 'PUB', true);
    expect(await setLike(deps, 'bob', 'PUB', false)).toEqual({ imageId: 'PUB', liked: false, likeCount: 1 });
  });

  it('lets the owner like their private image, and no one else find it', async () => {
    expect((await setLike(deps, 'alice', 'PRIV', true)).likeCount).toBe(1);
    const refused = (await setLike(deps, 'bob', 'PRIV', true).catch((e) => e)) as DomainError;
    expect(refused.code).toBe('NOT_FOUND');
    expect((await setLike(deps, 'bob', 'GONE', false).catch((e) => e)).code).toBe('NOT_FOUND');
  });

  it('reads the image again when it changed under the like, and gives up after a few tries', async () => {
    likes.staleNext(2);
    expect((await setLike(deps, 'bob', 'PUB', true)).liked).toBe(true);
    likes.staleNext(10);
    expect(((await setLike(deps, 'carol', 'PUB', true).catch((e) => e)) as DomainError).code).toBe(
      'CONFLICT',
    );
  });

  it('refuses an image being deleted', async () => {
    store.images.set('PUB', image('PUB', { status: 'DELETING' }));
    expect(((await setLike(deps, 'bob', 'PUB', true).catch((e) => e)) as DomainError).code).toBe('NOT_FOUND');
  });
});

describe('likedByViewer', () => {
  it('says nothing to an anonymous caller and reads a page of likes in one batch', async () => {
    await setLike(deps, 'bob', 'PUB', true);
    expect(await likedByViewer(likes, undefined, [image('PUB')])).toBeUndefined();
    const liked = await likedByViewer(likes, 'bob', [image('PUB'), image('PRIV')]);
    expect([liked?.('PUB'), liked?.('PRIV')]).toEqual([true, false]);
    expect(likes.batchReads).toBe(1);
  });
});

describe('listMyLikes', () => {
  it('lists liked images newest like first, leaving out those no longer visible', async () => {
    await store.store.putIfAbsent(image('PUB2'));
    await setLike(deps, 'bob', 'PUB', true);
    await setLike(deps, 'bob', 'PUB2', true);
    store.images.set('PUB', image('PUB', { isPublic: false }));
    const catalog = { getMany: async (ids: readonly string[]) => ids.map((id) => store.images.get(id)!) };
    const page = await listMyLikes({ likes, catalog }, 'bob', { limit: 10 });
    expect(page.items.map((i) => i.imageId)).toEqual(['PUB2']);
  });
});
