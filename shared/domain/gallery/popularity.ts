import type { Page, PageKey } from '../ports.ts';

export type PopularPeriod = 'day' | 'week' | 'all';
export const popularPeriods: readonly PopularPeriod[] = ['day', 'week', 'all'];

const dayMs = 24 * 60 * 60 * 1000;
/** The length of each period and of its buckets: a UTC day, or a 7-day span counted from the epoch. */
const spanMs: Readonly<Record<Exclude<PopularPeriod, 'all'>, number>> = { day: dayMs, week: 7 * dayMs };

/**
 * A popularity score orders shared images most liked first, ties newest first (to the
 * second): the like count above the creation second. It stays an exact integer in a
 * JavaScript number up to some 900,000 likes, and a like moves it by ADD alone.
 */
export const likeWeight = 10_000_000_000;

export function popularityScore(likeCount: number, createdAt: string): number {
  return likeCount * likeWeight + Math.floor(Date.parse(createdAt) / 1000);
}

/** The bucket a share time falls in: the ISO date its day or 7-day span starts on. */
export function bucketOf(period: Exclude<PopularPeriod, 'all'>, at: Date): string {
  const span = spanMs[period];
  return new Date(Math.floor(at.getTime() / span) * span).toISOString().slice(0, 10);
}

/** One place a shared image is ranked in: a period, its bucket, alone or with its style. */
export interface RankScope {
  /** Names the entry within the image (`DAY`, `DAY#STYLE`, …). */
  readonly scope: string;
  readonly period: PopularPeriod;
  readonly bucket?: string;
  readonly style?: string;
}

/**
 * Where a shared image is ranked: in its share day's bucket, its 7-day span's bucket and
 * all time, and, when it has a style, in the same three narrowed to that style.
 */
export function rankScopes(image: { style?: string }, sharedAt: Date): RankScope[] {
  const scopes: RankScope[] = [];
  for (const period of popularPeriods) {
    const bucket = period === 'all' ? undefined : bucketOf(period, sharedAt);
    const name = period.toUpperCase();
    scopes.push({ scope: name, period, ...(bucket ? { bucket } : {}) });
    if (image.style)
      scopes.push({ scope: `${name}#STYLE`, period, style: image.style, ...(bucket ? { bucket } : {}) });
  }
  return scopes;
}

/** The names of the entries `rankScopes` makes, which a like moves. */
export function rankScopeNames(image: { style?: string }): string[] {
  return rankScopes(image, new Date(0)).map((entry) => entry.scope);
}

/** A bucket a popular listing reads, and the earliest share time it keeps from it. */
export interface PopularSource {
  readonly period: PopularPeriod;
  readonly bucket?: string;
  readonly style?: string;
  readonly since?: string;
}

/**
 * The buckets that hold the images shared within the period before `now`: all time is one;
 * a day or a week is the current bucket (all of it within the period) and the one before,
 * of which only the shares since `now` minus the period count.
 */
export function popularSources(period: PopularPeriod, now: Date, style?: string): PopularSource[] {
  if (period === 'all') return [{ period, ...(style ? { style } : {}) }];
  const span = spanMs[period];
  const since = new Date(now.getTime() - span);
  return [
    { period, bucket: bucketOf(period, now), ...(style ? { style } : {}) },
    { period, bucket: bucketOf(period, since), since: since.toISOString(), ...(style ? { style } : {}) },
  ];
}

export interface RankedEntry {
  readonly imageId: string;
  readonly score: number;
  /** Where a read that resumes right after this entry starts. */
  readonly key: PageKey;
}

/** The ranked entries of one bucket, best first, a page at a time. */
export type RankedReader = (
  source: PopularSource,
  options: { limit: number; startKey?: PageKey },
) => Promise<{ items: RankedEntry[]; lastKey?: PageKey; lastScore?: { score: number; imageId: string } }>;

/** How far each bucket has been read: not yet, from after a key, or to its end. */
type Position = PageKey | null | 'end';

/** A popular listing's cursor: the moment its window was fixed at, and where each bucket stands. */
export type PopularCursor = {
  readonly at: string;
  readonly positions: Position[];
};

const before = (a: { score: number; imageId: string }, b: { score: number; imageId: string }) =>
  a.score !== b.score ? a.score > b.score : a.imageId > b.imageId;

/**
 * One page of the most liked images among `sources`, merged best first. Each bucket is read
 * once, `limit` entries at most, so a page costs the same whatever the table holds. An
 * entry is answered only when no unread entry of any bucket could come before it, so the
 * order is exact across buckets; the page may then be shorter than `limit`, and the cursor
 * says where each bucket resumes.
 */
export async function popularPage(
  read: RankedReader,
  sources: readonly PopularSource[],
  options: { limit: number; positions?: readonly Position[] },
): Promise<Page<string> & { positions?: Position[] }> {
  const starts = sources.map((_, i) => options.positions?.[i] ?? null);
  const results = await Promise.all(
    sources.map((source, i) => {
      const start = starts[i];
      if (start === 'end') return undefined;
      return read(source, { limit: options.limit, ...(start ? { startKey: start } : {}) });
    }),
  );
  // Nothing of a bucket read only in part may pass over the last entry it evaluated.
  const frontiers = results.flatMap((result) =>
    result?.lastKey && result.lastScore ? [result.lastScore] : [],
  );
  const frontier = frontiers.reduce<{ score: number; imageId: string } | undefined>(
    (highest, next) => (!highest || before(next, highest) ? next : highest),
    undefined,
  );
  const merged = results
    .flatMap((result, bucket) => (result?.items ?? []).map((entry) => ({ entry, bucket })))
    .filter(({ entry }) => !frontier || !before(frontier, entry))
    .sort((a, b) => (before(a.entry, b.entry) ? -1 : before(b.entry, a.entry) ? 1 : 0));
  const page = merged.slice(0, options.limit);
  const positions: Position[] = results.map((result, bucket) => {
    if (!result) return 'end';
    const taken = page.filter((item) => item.bucket === bucket);
    if (taken.length === result.items.length) return result.lastKey ?? 'end';
    return taken.at(-1)?.entry.key ?? starts[bucket] ?? null;
  });
  // Buckets are disjoint, so an image comes once: its entry of the period lives in one bucket.
  const items = page.map(({ entry }) => entry.imageId);
  return positions.every((position) => position === 'end') ? { items } : { items, positions };
}
