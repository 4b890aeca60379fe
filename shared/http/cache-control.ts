import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * How long an anonymous answer may be kept. Browsers keep it `maxAge` seconds; shared caches
 * (CloudFront) `sharedMaxAge`, then may serve it stale for `staleWhileRevalidate` more while
 * they fetch a fresh one in the background, so a busy key costs the origin about one call
 * per `sharedMaxAge` whatever the traffic.
 */
export interface SharedCache {
  readonly maxAge: number;
  readonly sharedMaxAge: number;
  readonly staleWhileRevalidate: number;
}

export const sharedCaches = {
  /**
   * Public reads that change as people share, unshare, like and comment (the gallery, a
   * public image and its comments, profiles). Browsers revalidate every time, so a person
   * sees their own change on reload; CloudFront answers a hot page from its cache for 5 s,
   * and for at most 10 s more while a fresh copy is fetched: an unshared image can stay
   * listed for 15 s at most (its files answer 404 at once, being invalidated).
   */
  live: { maxAge: 0, sharedMaxAge: 5, staleWhileRevalidate: 10 },
  /** Answers that change only with a deployment: styles, settings, options, the OpenAPI document. */
  deployment: { maxAge: 300, sharedMaxAge: 300, staleWhileRevalidate: 60 },
} as const satisfies Record<string, SharedCache>;

/** Every answer that is not an anonymous read of a cacheable route: kept by no cache at all. */
export const privateNoStore = 'private, no-store';

export function sharedCacheControl(cache: SharedCache): string {
  return `public, max-age=${cache.maxAge}, s-maxage=${cache.sharedMaxAge}, stale-while-revalidate=${cache.staleWhileRevalidate}`;
}

/**
 * Whether the request carries anything that may make its answer someone's own: a token (even
 * a bad one: its answer is a 401 for that caller) or a cookie.
 */
export function carriesCredentials(event: Pick<APIGatewayProxyEventV2, 'headers' | 'cookies'>): boolean {
  const headers = event.headers ?? {};
  const has = (name: string) =>
    Object.entries(headers).some(([key, value]) => key.toLowerCase() === name && value !== undefined);
  return has('authorization') || has('cookie') || (event.cookies?.length ?? 0) > 0;
}

/**
 * The Cache-Control of an answer: private and unstored whenever the request carried
 * credentials or the answer is not a success; the route's shared cache for an anonymous
 * 200; otherwise what the route answered itself, or private.
 */
export function cacheControlOf(options: {
  readonly cache: SharedCache | undefined;
  readonly credentials: boolean;
  readonly statusCode: number;
  readonly answered: string | undefined;
}): string {
  if (options.credentials || options.statusCode >= 300) return privateNoStore;
  if (options.cache && options.statusCode === 200) return sharedCacheControl(options.cache);
  return options.answered ?? privateNoStore;
}
