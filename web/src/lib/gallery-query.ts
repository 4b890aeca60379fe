/**
 * What the gallery shows, as its address says it: `/?q=boats&sort=popular&period=week&style=anime`.
 * Defaults stay out of the address, so the plain gallery is `/` and every view has one address.
 */
export type GallerySort = 'newest' | 'popular';
export type GalleryPeriod = 'day' | 'week' | 'all';

export interface GalleryQuery {
  readonly q: string;
  readonly sort: GallerySort;
  /** Only for `popular`: how far back likes count. */
  readonly period: GalleryPeriod;
  /** A style id, or '' for every style. */
  readonly style: string;
}

export const defaultPeriod: GalleryPeriod = 'week';

export const periods: readonly { value: GalleryPeriod; label: string }[] = [
  { value: 'day', label: 'Today' },
  { value: 'week', label: 'This week' },
  { value: 'all', label: 'All time' },
];

const isPeriod = (value: string | null): value is GalleryPeriod =>
  value === 'day' || value === 'week' || value === 'all';

// Style ids are short kebab-case words; anything else in the address is ignored, not sent on.
const styleId = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A search answers newest first: words in the address win over a popular order. */
export function readGalleryQuery(search: URLSearchParams): GalleryQuery {
  const q = (search.get('q') ?? '').trim();
  const sort: GallerySort = search.get('sort') === 'popular' && !q ? 'popular' : 'newest';
  const period = search.get('period');
  const style = search.get('style') ?? '';
  return {
    q,
    sort,
    period: isPeriod(period) ? period : defaultPeriod,
    style: styleId.test(style) ? style : '',
  };
}

/** The gallery's address for a view; a change of sort or style keeps the rest, a search drops the order. */
export function galleryHref(query: Partial<GalleryQuery>): string {
  const search = new URLSearchParams();
  const q = query.q?.trim();
  if (q) search.set('q', q);
  else if (query.sort === 'popular') {
    search.set('sort', 'popular');
    search.set('period', query.period ?? defaultPeriod);
  }
  if (query.style) search.set('style', query.style);
  const text = search.toString();
  return text ? `/?${text}` : '/';
}

/** The API's query for a view: `sort` and `period` only when they differ from newest first. */
export function galleryApiParams(query: GalleryQuery): Record<string, string | undefined> {
  return {
    q: query.q || undefined,
    sort: query.sort === 'popular' ? 'popular' : undefined,
    period: query.sort === 'popular' ? query.period : undefined,
    style: query.style || undefined,
  };
}

/** A key that changes whenever the listing does, so a new view starts from its first page. */
export function galleryKey(query: GalleryQuery): string {
  return galleryHref(query);
}
