import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import {
  browseGallery,
  changeImage,
  type ImageCatalog,
  reindexImage,
  type SharingDeps,
} from '../../shared/domain/images/sharing.ts';
import type { SearchIndex } from '../../shared/domain/search/search-index.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import { fixedClock, memoryImageStore, memoryStorage } from './support/memory-ports.ts';

const image = (overrides: Partial<ImageRecord> = {}): ImageRecord => ({
  imageId: 'IMG1',
  ownerId: 'alice',
  ownerName: 'Alice',
  kind: 'generated',
  status: 'READY',
  prompt: 'A café in Paris',
  descriptionStatus: 'NONE',
  isPublic: false,
  width: 8,
  height: 8,
  contentType: 'image/png',
  originalKey: 'images/IMG1/original.png',
  thumbnailKey: 'images/IMG1/thumbnail.webp',
  commentCount: 0,
  createdAt: '2026-11-22T09:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
  ...overrides,
});

let deps: SharingDeps;
let store: ReturnType<typeof memoryImageStore>;
let objects: ReturnType<typeof memoryStorage>['objects'];
let indexed: Map<string, readonly string[]>;
let invalidated: string[][];
let tokens: number;
const steps: string[] = [];

beforeEach(async () => {
  store = memoryImageStore();
  const storage = memoryStorage();
  objects = storage.objects;
  indexed = new Map();
  invalidated = [];
  tokens = 0;
  steps.length = 0;
  await store.store.putIfAbsent(image());
  await storage.storage.put('images/IMG1/original.png', new Uint8Array([1]), 'image/png');
  await storage.storage.put('images/IMG1/thumbnail.webp', new Uint8Array([2]), 'image/webp');
  const index: SearchIndex = {
    async set(imageId, words) {
      steps.push(`index [${words.join(' ')}]`);
      if (words.length) indexed.set(imageId, words);
      else indexed.delete(imageId);
    },
    async search() {
      return { items: [] };
    },
  };
  const catalog: ImageCatalog = {
    async listByOwner() {
      return { items: [] };
    },
    async listGallery() {
      return { items: [...store.images.values()].filter((i) => i.isPublic) };
    },
    async getMany(ids) {
      return ids.flatMap((id) => (store.images.has(id) ? [store.images.get(id)!] : []));
    },
    async readRanked() {
      return { items: [] };
    },
    async rankShared() {
      return false;
    },
    async update(current, { title, isPublic, indexedWords, publicToken }, now) {
      steps.push(`record public=${isPublic}`);
      const next: Record<string, unknown> = {
        ...store.images.get(current.imageId)!,
        isPublic,
        indexedWords,
        updatedAt: now,
      };
      if (publicToken === null) delete next.publicToken;
      else if (publicToken !== undefined) next.publicToken = publicToken;
      if (title === null) delete next.title;
      else if (title !== undefined) next.title = title;
      store.images.set(current.imageId, next as unknown as ImageRecord);
      return next as unknown as ImageRecord;
    },
  };
  deps = {
    images: store.store,
    catalog,
    storage: {
      ...storage.storage,
      delete: async (keys) => {
        steps.push(`delete ${keys.join(' ')}`);
        return storage.storage.delete(keys);
      },
    },
    index,
    cache: {
      async invalidate(paths) {
        steps.push(`invalidate ${paths.join(' ')}`);
        invalidated.push([...paths]);
      },
    },
    clock: fixedClock(),
    newToken: () => `token${++tokens}`,
  };
});

describe('changeImage', () => {
  it('shares: copies under img/<new token>, indexes the words, then marks the record public', async () => {
    const shared = await changeImage(deps, 'alice', 'IMG1', { isPublic: true });
    expect(shared.isPublic).toBe(true);
    expect(shared.publicToken).toBe('token1');
    expect(objects.has('img/token1/original.png') && objects.has('img/token1/thumbnail.webp')).toBe(true);
    expect(objects.has('img/IMG1/original.png')).toBe(false);
    expect(steps).toEqual(['index [cafe in paris]', 'record public=true']);
    expect(indexed.get('IMG1')).toEqual(['cafe', 'in', 'paris']);
  });

  it('unshares: the copies go and the CDN forgets them first, then the record and the index', async () => {
    await changeImage(deps, 'alice', 'IMG1', { isPublic: true });
    steps.length = 0;
    const unshared = await changeImage(deps, 'alice', 'IMG1', { isPublic: false });
    expect(steps).toEqual([
      'delete img/token1/original.png img/token1/thumbnail.webp',
      'invalidate /img/token1/original.png /img/token1/thumbnail.webp',
      'record public=false',
      'index []',
    ]);
    expect(unshared.publicToken).toBeUndefined();
    expect(objects.has('img/token1/original.png')).toBe(false);
    expect(indexed.has('IMG1')).toBe(false);
  });

  it('shares again under a different address', async () => {
    await changeImage(deps, 'alice', 'IMG1', { isPublic: true });
    await changeImage(deps, 'alice', 'IMG1', { isPublic: false });
    const again = await changeImage(deps, 'alice', 'IMG1', { isPublic: true });
    expect(again.publicToken).toBe('token2');
    expect(objects.has('img/token2/original.png')).toBe(true);
  });

  it('keeps the address of a shared image whose title changes, and invalidates nothing', async () => {
    await changeImage(deps, 'alice', 'IMG1', { isPublic: true });
    const renamed = await changeImage(deps, 'alice', 'IMG1', { title: 'Evening' });
    expect(renamed.publicToken).toBe('token1');
    expect(invalidated).toEqual([]);
  });

  it('removes the copies of an image shared before tokens, under its id', async () => {
    store.images.set('IMG1', image({ isPublic: true }));
    await changeImage(deps, 'alice', 'IMG1', { isPublic: false });
    expect(invalidated).toEqual([['/img/IMG1/original.png', '/img/IMG1/thumbnail.webp']]);
  });

  it('re-indexes a shared image whose title changes', async () => {
    await changeImage(deps, 'alice', 'IMG1', { isPublic: true });
    await changeImage(deps, 'alice', 'IMG1', { title: 'Nuit étoilée' });
    expect(indexed.get('IMG1')).toEqual(['cafe', 'in', 'paris', 'nuit', 'etoilee']);
  });

  it('refuses to share an image that is not READY, and another owner’s image', async () => {
    store.images.set('IMG1', image({ status: 'PENDING' }));
    const pending = await changeImage(deps, 'alice', 'IMG1', { isPublic: true }).catch(
      (e: unknown) => httpErrorOf(e)?.status,
    );
    expect(pending).toBe(409);
    const foreign = await changeImage(deps, 'bob', 'IMG1', { isPublic: true }).catch(
      (e: unknown) => httpErrorOf(e)?.status,
    );
    expect(foreign).toBe(404);
  });
});

describe('reindexImage', () => {
  it('adds the words of a description that arrived after sharing', async () => {
    await changeImage(deps, 'alice', 'IMG1', { isPublic: true });
    store.images.set('IMG1', { ...store.images.get('IMG1')!, description: 'Warm lamplight' });
    await reindexImage(deps, 'IMG1');
    expect(indexed.get('IMG1')).toEqual(['cafe', 'in', 'paris', 'warm', 'lamplight']);
  });

  it('leaves a private image out of the index', async () => {
    await reindexImage(deps, 'IMG1');
    expect(indexed.size).toBe(0);
  });
});

describe('browseGallery', () => {
  it('drops images the index still names but that are no longer public', async () => {
    deps.index.search = async () => ({ items: ['IMG1'] });
    expect((await browseGallery(deps, { q: 'paris', limit: 10 })).items).toEqual([]);
  });
});
