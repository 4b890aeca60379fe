import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  likeWeight,
  type PopularSource,
  popularityScore,
  popularPage,
  popularSources,
  type RankedReader,
  rankScopeNames,
  rankScopes,
} from '../../shared/domain/gallery/popularity.ts';
import type { PageKey } from '../../shared/domain/ports.ts';

describe('popularityScore', () => {
  it('puts more likes first and, at equal likes, the newer image', () => {
    const older = '2026-11-20T10:00:00.000Z';
    const newer = '2026-11-21T10:00:00.000Z';
    expect(popularityScore(2, older)).toBeGreaterThan(popularityScore(1, newer));
    expect(popularityScore(1, newer)).toBeGreaterThan(popularityScore(1, older));
  });

  it('moves by one like weight per like and stays an exact integer', () => {
    const at = '2026-11-29T12:34:56.789Z';
    expect(popularityScore(3, at) - popularityScore(2, at)).toBe(likeWeight);
    expect(Number.isSafeInteger(popularityScore(900_000, at))).toBe(true);
  });
});

describe('buckets and sources', () => {
  it('buckets a day by its UTC date and a week by its 7-day span since the epoch', () => {
    expect(bucketOf('day', new Date('2026-11-29T23:59:59Z'))).toBe('2026-11-29');
    expect(bucketOf('day', new Date('2026-11-30T00:00:00Z'))).toBe('2026-11-30');
    // 1970-01-01 was a Thursday: spans run Thursday to Wednesday.
    expect(bucketOf('week', new Date('2026-11-25T12:00:00Z'))).toBe('2026-11-19');
    expect(bucketOf('week', new Date('2026-11-26T00:00:00Z'))).toBe('2026-11-26');
  });

  it('reads the current bucket whole and the one before from the start of the period', () => {
    const now = new Date('2026-11-29T09:00:00Z');
    expect(popularSources('day', now)).toEqual([
      { period: 'day', bucket: '2026-11-29' },
      { period: 'day', bucket: '2026-11-28', since: '2026-11-28T09:00:00.000Z' },
    ]);
    expect(popularSources('week', now, 'anime')).toEqual([
      { period: 'week', bucket: '2026-11-26', style: 'anime' },
      { period: 'week', bucket: '2026-11-19', since: '2026-11-22T09:00:00.000Z', style: 'anime' },
    ]);
    expect(popularSources('all', now)).toEqual([{ period: 'all' }]);
  });

  it('ranks an image with a style in six places, one without in three', () => {
    const at = new Date('2026-11-29T09:00:00Z');
    expect(rankScopes({ style: 'anime' }, at)).toEqual([
      { scope: 'DAY', period: 'day', bucket: '2026-11-29' },
      { scope: 'DAY#STYLE', period: 'day', bucket: '2026-11-29', style: 'anime' },
      { scope: 'WEEK', period: 'week', bucket: '2026-11-26' },
      { scope: 'WEEK#STYLE', period: 'week', bucket: '2026-11-26', style: 'anime' },
      { scope: 'ALL', period: 'all' },
      { scope: 'ALL#STYLE', period: 'all', style: 'anime' },
    ]);
    expect(rankScopeNames({})).toEqual(['DAY', 'WEEK', 'ALL']);
  });
});

/** Buckets in memory, read like the index: best first, `Limit` entries evaluated, a filter after. */
function memoryReader(buckets: Record<string, { imageId: string; score: number; sharedAt: string }[]>) {
  const reads: { bucket: string; evaluated: number }[] = [];
  const read: RankedReader = async (source, { limit, startKey }) => {
    const name = source.bucket ?? 'all';
    const sorted = [...(buckets[name] ?? [])].sort((a, b) =>
      a.score !== b.score ? b.score - a.score : a.imageId < b.imageId ? 1 : -1,
    );
    const from = startKey ? sorted.findIndex((entry) => entry.imageId === startKey.imageId) + 1 : 0;
    const evaluated = sorted.slice(from, from + limit);
    reads.push({ bucket: name, evaluated: evaluated.length });
    const last = evaluated.at(-1);
    const more = from + limit < sorted.length;
    const keyOf = (entry: { imageId: string }): PageKey => ({ imageId: entry.imageId });
    return {
      items: evaluated
        .filter((entry) => !source.since || entry.sharedAt >= source.since)
        .map((entry) => ({ imageId: entry.imageId, score: entry.score, key: keyOf(entry) })),
      ...(more && last
        ? { lastKey: keyOf(last), lastScore: { score: last.score, imageId: last.imageId } }
        : {}),
    };
  };
  return { read, reads };
}

async function allPages(read: RankedReader, sources: PopularSource[], limit: number) {
  const ids: string[][] = [];
  let positions: Parameters<typeof popularPage>[2]['positions'];
  for (let guard = 0; guard < 100; guard++) {
    const page = await popularPage(read, sources, { limit, ...(positions ? { positions } : {}) });
    ids.push(page.items);
    if (!page.positions) return ids;
    positions = page.positions;
  }
  throw new Error('the pages never ended');
}

describe('popularPage', () => {
  const sources: PopularSource[] = [
    { period: 'day', bucket: 'today' },
    { period: 'day', bucket: 'yesterday', since: '2026-11-28T09:00:00Z' },
  ];

  it('merges the buckets best first, across pages, keeping only shares within the period', async () => {
    const { read } = memoryReader({
      today: [
        { imageId: 'T1', score: 50, sharedAt: '2026-11-29T01:00:00Z' },
        { imageId: 'T2', score: 30, sharedAt: '2026-11-29T02:00:00Z' },
        { imageId: 'T3', score: 10, sharedAt: '2026-11-29T03:00:00Z' },
      ],
      yesterday: [
        { imageId: 'Y1', score: 60, sharedAt: '2026-11-28T10:00:00Z' },
        { imageId: 'Yold', score: 45, sharedAt: '2026-11-28T08:00:00Z' },
        { imageId: 'Y2', score: 20, sharedAt: '2026-11-28T11:00:00Z' },
        { imageId: 'Y3', score: 5, sharedAt: '2026-11-28T12:00:00Z' },
      ],
    });
    const pages = await allPages(read, sources, 2);
    expect(pages.flat()).toEqual(['Y1', 'T1', 'T2', 'Y2', 'T3', 'Y3']);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
  });

  it('reads each bucket once per page, at most the page size', async () => {
    const many = (prefix: string, n: number, sharedAt: string) =>
      Array.from({ length: n }, (_, i) => ({
        imageId: `${prefix}${String(i).padStart(4, '0')}`,
        score: i,
        sharedAt,
      }));
    const { read, reads } = memoryReader({
      today: many('T', 500, '2026-11-29T01:00:00Z'),
      yesterday: many('Y', 500, '2026-11-28T10:00:00Z'),
    });
    const page = await popularPage(read, sources, { limit: 20 });
    expect(page.items).toHaveLength(20);
    expect(reads).toEqual([
      { bucket: 'today', evaluated: 20 },
      { bucket: 'yesterday', evaluated: 20 },
    ]);
  });

  it('moves on past a stretch of shares older than the period instead of stalling', async () => {
    const { read } = memoryReader({
      today: [{ imageId: 'T1', score: 1, sharedAt: '2026-11-29T01:00:00Z' }],
      yesterday: [
        { imageId: 'O1', score: 90, sharedAt: '2026-11-28T01:00:00Z' },
        { imageId: 'O2', score: 80, sharedAt: '2026-11-28T02:00:00Z' },
        { imageId: 'O3', score: 70, sharedAt: '2026-11-28T03:00:00Z' },
        { imageId: 'Y1', score: 2, sharedAt: '2026-11-28T10:00:00Z' },
      ],
    });
    expect((await allPages(read, sources, 2)).flat()).toEqual(['Y1', 'T1']);
  });

  it('ends with no positions when every bucket is read to its end', async () => {
    const { read } = memoryReader({ all: [{ imageId: 'A', score: 1, sharedAt: '2026-01-01T00:00:00Z' }] });
    const page = await popularPage(read, [{ period: 'all' }], { limit: 5 });
    expect(page).toEqual({ items: ['A'] });
  });
});
