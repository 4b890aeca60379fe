import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { difference, startCountingProxy } from '../../scripts/bench/counting-proxy.ts';
import { clientConfig } from '../../scripts/emulator/emulator.ts';
import { provision } from '../../scripts/emulator/provision.ts';
import { imageCatalog, rankEntryItems } from '../../shared/adapters/image-catalog.ts';
import { imageItem, imageRepository } from '../../shared/adapters/image-repository.ts';
import { likeRepository } from '../../shared/adapters/like-repository.ts';
import { searchEntryItems, searchIndexRepository } from '../../shared/adapters/search-index-repository.ts';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import {
  browseGallery,
  type GalleryRequest,
  upgradeSharedImage,
} from '../../shared/domain/images/sharing.ts';
import { setLike } from '../../shared/domain/likes/likes.ts';
import type { Page } from '../../shared/domain/ports.ts';
import { imageSearchWords } from '../../shared/domain/search/words.ts';
import { testAssembly, testPrefix, useTestEndpoints } from './support/stack.ts';

/** moto walks the whole table on every Query: thousands of items make each call slow here. */
const slow = 900_000;

let db: DynamoDBDocumentClient;
let counted: DynamoDBDocumentClient;
let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
let tableName: string;
/** Items each operation read, summed from the answers the counted client received. */
const itemsRead = new Map<string, number>();

const now = new Date('2026-11-29T12:00:00.000Z');
const clock = { now: () => now };
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000).toISOString();

const ports = (client: DynamoDBDocumentClient) => ({
  images: imageRepository(client, tableName),
  catalog: imageCatalog(client, tableName),
  index: searchIndexRepository(client, tableName),
  likes: likeRepository(client, tableName),
});
let real: ReturnType<typeof ports>;

beforeAll(async () => {
  const endpoint = inject('awsEndpoint');
  useTestEndpoints();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  const { local: stack } = await provision({
    endpoint,
    assembly: testAssembly(),
    siteUrl: 'http://127.0.0.1:3000',
    prefix: testPrefix(),
    stackFile: false,
  });
  tableName = stack.tableName;
  db = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig('DYNAMODB', endpoint, stack.region)));
  // The calls counted at the emulator's door (DynamoDB's own, when another emulator serves the
  // rest); the items read summed from their answers.
  proxy = await startCountingProxy(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? endpoint);
  const client = new DynamoDBClient({
    ...clientConfig('DYNAMODB', endpoint, stack.region),
    endpoint: proxy.url,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as {
        ScannedCount?: number;
        Responses?: Record<string, unknown[]>;
      };
      const read =
        output.ScannedCount ??
        Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
      const operation = String(context.commandName).replace(/Command$/, '');
      itemsRead.set(operation, (itemsRead.get(operation) ?? 0) + read);
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  counted = DynamoDBDocumentClient.from(client);
  real = ports(db);
}, slow);
afterAll(async () => {
  db?.destroy();
  counted?.destroy();
  await proxy?.close();
});

let serial = 0;
/** A READY private image whose id sorts by `createdAt`, as ULIDs do. */
function image(createdAt: string, overrides: Partial<ImageRecord> = {}): ImageRecord {
  const imageId = `${createdAt.replace(/\D/g, '')}${String(serial++).padStart(5, '0')}`;
  return {
    imageId,
    ownerId: 'alice',
    ownerName: 'Alice',
    kind: 'generated',
    status: 'READY',
    prompt: 'A lighthouse on a stormy coast',
    descriptionStatus: 'NONE',
    isPublic: false,
    width: 1024,
    height: 1024,
    contentType: 'image/png',
    originalKey: `images/${imageId}/original.png`,
    thumbnailKey: `images/${imageId}/thumbnail.webp`,
    commentCount: 0,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/** Stored, then shared at `sharedAt` through the catalog, as sharing does. */
async function shared(record: ImageRecord, sharedAt: string): Promise<ImageRecord> {
  await real.images.putIfAbsent(record);
  const words = imageSearchWords(record);
  await real.index.set(record.imageId, words, []);
  return real.catalog.update(record, { isPublic: true, indexedWords: words }, sharedAt);
}

async function likedBy(imageId: string, users: number) {
  const deps = {
    images: real.images,
    likes: real.likes,
    clock,
    newId: () => `${Date.now()}${Math.random()}`,
  };
  for (let user = 0; user < users; user++) await setLike(deps, `user${user}`, imageId, true);
}

async function all(request: Omit<GalleryRequest, 'limit'>, limit = 2): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Page<ImageRecord>['lastKey'];
  for (let guard = 0; guard < 50; guard++) {
    const page = await browseGallery({ ...real, clock }, { ...request, limit, startKey });
    ids.push(...page.items.map((item) => item.imageId));
    startKey = page.lastKey;
    if (!startKey) return ids;
  }
  throw new Error('the pages never ended');
}

describe('the popular gallery', () => {
  let today: ImageRecord;
  let yesterday: ImageRecord;
  let lastWeek: ImageRecord;
  let longAgo: ImageRecord;
  let tiedOlder: ImageRecord;
  let tiedNewer: ImageRecord;
  let anime: ImageRecord;

  beforeAll(async () => {
    today = await shared(image(hoursAgo(30)), hoursAgo(2));
    yesterday = await shared(image(hoursAgo(40)), hoursAgo(23));
    lastWeek = await shared(image(hoursAgo(200)), hoursAgo(25));
    longAgo = await shared(image(hoursAgo(400)), hoursAgo(8 * 24));
    tiedOlder = await shared(image(hoursAgo(50)), hoursAgo(3));
    tiedNewer = await shared(image(hoursAgo(45)), hoursAgo(4));
    anime = await shared(image(hoursAgo(20), { style: 'anime', prompt: 'A fox in the snow' }), hoursAgo(1));
    await likedBy(today.imageId, 5);
    await likedBy(yesterday.imageId, 4);
    await likedBy(lastWeek.imageId, 6);
    await likedBy(longAgo.imageId, 9);
    await likedBy(tiedOlder.imageId, 2);
    await likedBy(tiedNewer.imageId, 2);
    await likedBy(anime.imageId, 1);
  }, slow);

  it('lists the most liked first among the images shared in the last 24 hours, ties newest first', async () => {
    expect(await all({ sort: 'popular', period: 'day' })).toEqual([
      today.imageId,
      yesterday.imageId,
      tiedNewer.imageId,
      tiedOlder.imageId,
      anime.imageId,
    ]);
  });

  it('keeps a week to the last 7 days and all time to every shared image', async () => {
    expect(await all({ sort: 'popular', period: 'week' })).toEqual([
      lastWeek.imageId,
      today.imageId,
      yesterday.imageId,
      tiedNewer.imageId,
      tiedOlder.imageId,
      anime.imageId,
    ]);
    expect(await all({ sort: 'popular', period: 'all' }, 3)).toEqual([
      longAgo.imageId,
      lastWeek.imageId,
      today.imageId,
      yesterday.imageId,
      tiedNewer.imageId,
      tiedOlder.imageId,
      anime.imageId,
    ]);
  });

  it('narrows each listing to a style: popular, newest, and with words', async () => {
    const other = await shared(
      image(hoursAgo(10), { style: 'anime', prompt: 'A lighthouse at dawn' }),
      hoursAgo(5),
    );
    await likedBy(other.imageId, 3);
    expect(await all({ sort: 'popular', period: 'day', style: 'anime' })).toEqual([
      other.imageId,
      anime.imageId,
    ]);
    expect(await all({ style: 'anime' })).toEqual([other.imageId, anime.imageId]);
    expect(await all({ style: 'anime', q: 'lighthouse' })).toEqual([other.imageId]);
    expect(await all({ style: 'watercolor' })).toEqual([]);
  });

  it('moves an image as it is liked and unliked, and drops it when it is unshared', async () => {
    const deps = { images: real.images, likes: real.likes, clock, newId: () => `${Math.random()}` };
    await setLike(deps, 'user0', today.imageId, false);
    await setLike(deps, 'user1', today.imageId, false);
    const day = await all({ sort: 'popular', period: 'day' });
    expect(day.indexOf(today.imageId)).toBeGreaterThan(day.indexOf(yesterday.imageId));
    const current = (await real.images.get(yesterday.imageId))!;
    await real.catalog.update(current, { isPublic: false, indexedWords: [] }, now.toISOString());
    expect(await all({ sort: 'popular', period: 'day' })).not.toContain(yesterday.imageId);
    expect(await all({ sort: 'popular', period: 'all' })).not.toContain(yesterday.imageId);
    // Its likes stay; shared again, it is ranked from them, as shared now.
    const again = await real.catalog.update(
      (await real.images.get(yesterday.imageId))!,
      { isPublic: true, indexedWords: [] },
      now.toISOString(),
    );
    expect(again.likeCount).toBe(4);
    expect((await all({ sort: 'popular', period: 'day' }))[0]).toBe(yesterday.imageId);
  });

  it('finds longer words by their beginnings, whatever the case and accents', async () => {
    const café = await shared(
      image(hoursAgo(6), { prompt: 'Crème brûlée at the Lighthouses café' }),
      hoursAgo(6),
    );
    expect(await all({ q: 'LIGHT' })).toContain(café.imageId);
    expect(await all({ q: 'light' })).toContain(today.imageId);
    expect(await all({ q: 'lighthouses creme' })).toEqual([café.imageId]);
    expect(await all({ q: 'brul cafe' })).toEqual([café.imageId]);
    expect(await all({ q: 'lighthousesx' })).toEqual([]);
    // Two letters match a word of two letters only.
    expect(await all({ q: 'li' })).toEqual([]);
  });
});

describe('an image shared by an earlier release', () => {
  it(
    'is found by word beginnings and ranked by its likes once brought up to date',
    async () => {
      const legacy = image(hoursAgo(3), {
        prompt: 'Stormwatchers by the harbour',
        isPublic: true,
        likeCount: 12,
      });
      const words = ['stormwatchers', 'by', 'the', 'harbour'];
      // As that release wrote it: listed in the gallery, one entry per whole word, no popularity entries.
      await seed([
        { ...imageItem({ ...legacy, indexedWords: words }), gsi3pk: 'GALLERY', gsi3sk: legacy.imageId },
        ...words.map((word) => ({
          pk: `WORD#${word}`,
          sk: `IMAGE#${legacy.imageId}`,
          imageId: legacy.imageId,
          words,
        })),
      ]);
      expect(await all({ q: 'stormwatch' })).toEqual([]);
      expect(await all({ sort: 'popular', period: 'all' })).not.toContain(legacy.imageId);

      const stored = (await real.images.get(legacy.imageId))!;
      expect(await upgradeSharedImage({ ...real, clock }, stored)).toEqual({ reindexed: true, ranked: true });
      expect(await all({ q: 'stormwatch harb' })).toEqual([legacy.imageId]);
      expect((await all({ sort: 'popular', period: 'all' }, 50))[0]).toBe(legacy.imageId);
      // The whole-word entry longer than the terms is gone; running it again ranks nothing twice.
      const old = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: 'WORD#stormwatchers', sk: `IMAGE#${legacy.imageId}` },
        }),
      );
      expect(old.Item).toBeUndefined();
      const again = (await real.images.get(legacy.imageId))!;
      expect(await upgradeSharedImage({ ...real, clock }, again)).toEqual({ reindexed: true, ranked: false });
    },
    slow,
  );
});

/** Writes items with BatchWriteItem, 25 at a time, as fast as the emulator takes them. */
async function seed(items: Record<string, unknown>[]) {
  const batches = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  const write = async (batch: Record<string, unknown>[]) => {
    let pending: BatchWriteCommandOutput['UnprocessedItems'] = {
      [tableName]: batch.map((Item) => ({ PutRequest: { Item } })),
    };
    while (pending?.[tableName]?.length) {
      pending = (await db.send(new BatchWriteCommand({ RequestItems: pending }))).UnprocessedItems;
    }
  };
  for (let start = 0; start < batches.length; start += 8)
    await Promise.all(batches.slice(start, start + 8).map(write));
}

/**
 * `count` shared images of the anime style, spread over the last nine days, as the table
 * holds them: the record, its week entries and its style's search entry. The first hundred
 * are liked more than any added later, so the best of each bucket stay the same images.
 */
function sharedImages(count: number, from: number) {
  return Array.from({ length: count }, (_, i) => {
    const hours = ((from + i) * 2.16) % 216;
    const sharedAt = hoursAgo(hours + 0.5);
    const record = image(hoursAgo(hours + 1), {
      style: 'anime',
      isPublic: true,
      likeCount: (from === 0 ? 20 : 0) + (i % 17),
      sharedAt,
    });
    const words = imageSearchWords(record);
    return [
      imageItem({ ...record, indexedWords: words }),
      ...rankEntryItems(record, sharedAt).filter((item) => String(item.sk).startsWith('RANK#WEEK')),
      ...searchEntryItems(record.imageId, words).filter((item) => String(item.pk).startsWith('WORD#style:')),
    ];
  }).flat();
}

async function pageCost(request: GalleryRequest) {
  const deps = { ...ports(counted), clock };
  itemsRead.clear();
  const before = proxy.snapshot();
  const page = await browseGallery(deps, request);
  return {
    calls: Object.fromEntries(difference(proxy.snapshot(), before)),
    itemsRead: Object.fromEntries(itemsRead),
    shown: page.items.length,
  };
}

describe('what a page costs', () => {
  it(
    'is the same DynamoDB calls and items read with 100 and with 5,000 shared images',
    async () => {
      await seed(sharedImages(100, 0));
      const requests: GalleryRequest[] = [
        { sort: 'popular', period: 'week', limit: 20 },
        { sort: 'popular', period: 'week', style: 'anime', limit: 20 },
        { style: 'anime', limit: 20 },
      ];
      const small = [];
      for (const request of requests) small.push(await pageCost(request));
      await seed(sharedImages(4_900, 100));
      const large = [];
      for (const request of requests) large.push(await pageCost(request));
      console.info('page cost at 100 and 5,000 images', JSON.stringify({ small, large }));
      expect(large).toEqual(small);
      // Popular: a Query per bucket and one BatchGetItem of the page's images, nothing more.
      expect(small[0]!.calls).toEqual({ 'DynamoDB.Query': 2, 'DynamoDB.BatchGetItem': 1 });
      expect(small[0]!.itemsRead.Query).toBeLessThanOrEqual(40);
      for (const cost of small) expect(cost.shown).toBeGreaterThan(0);
    },
    slow,
  );
});
