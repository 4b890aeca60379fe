/**
 * CloudFront's caching rules for one behaviour, as AWS documents them, applied to a cache
 * policy read from the synthesized template: what goes into the cache key, and how long an
 * answer is kept. The infra tests judge the /api/* policy with it, and the edge simulation
 * (scripts/bench/edge-simulation.ts) caches with it.
 */

/** A cache policy's settings, as `AWS::CloudFront::CachePolicy` holds them. */
export interface CachePolicySettings {
  readonly minTtl: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
  /** Lower-case names of the headers in the key. */
  readonly headers: readonly string[];
  readonly cookies: 'none' | 'all' | readonly string[];
  readonly queryStrings: 'none' | 'all' | readonly string[];
}

/** CloudFront's managed CachingDisabled policy. */
export const cachingDisabled: CachePolicySettings = {
  minTtl: 0,
  defaultTtl: 0,
  maxTtl: 0,
  headers: [],
  cookies: 'none',
  queryStrings: 'none',
};
const managedPolicies: Record<string, CachePolicySettings> = {
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': cachingDisabled,
};

interface TemplateLike {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
}

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template's properties are free-form JSON.
type Json = Record<string, any>;

function list(behavior: string, names: unknown): 'none' | 'all' | readonly string[] {
  if (behavior === 'all') return 'all';
  if (behavior === 'none') return 'none';
  return ((names as string[] | undefined) ?? []).map((name) => name);
}

/** The cache policy of the distribution's behaviour for `pathPattern` (e.g. `/api/*`). */
export function cachePolicyOfBehaviour(template: TemplateLike, pathPattern: string): CachePolicySettings {
  const distribution = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::CloudFront::Distribution',
  );
  if (!distribution) throw new Error('The template has no CloudFront distribution.');
  const config = (distribution.Properties as Json).DistributionConfig as Json;
  const behaviour = (config.CacheBehaviors as Json[]).find(
    (candidate) => candidate.PathPattern === pathPattern,
  );
  if (!behaviour) throw new Error(`The distribution has no behaviour for ${pathPattern}.`);
  const id = behaviour.CachePolicyId as string | { Ref: string };
  if (typeof id === 'string') {
    const managed = managedPolicies[id];
    if (!managed) throw new Error(`Unknown managed cache policy ${id} for ${pathPattern}.`);
    return managed;
  }
  const resource = template.Resources[id.Ref];
  if (resource?.Type !== 'AWS::CloudFront::CachePolicy') throw new Error(`${id.Ref} is not a cache policy.`);
  const policy = (resource.Properties as Json).CachePolicyConfig as Json;
  const key = policy.ParametersInCacheKeyAndForwardedToOrigin as Json;
  const headers = key.HeadersConfig as Json;
  return {
    minTtl: Number(policy.MinTTL),
    defaultTtl: Number(policy.DefaultTTL),
    maxTtl: Number(policy.MaxTTL),
    headers:
      headers.HeaderBehavior === 'whitelist'
        ? (headers.Headers as string[]).map((name) => name.toLowerCase())
        : [],
    cookies: list(
      (key.CookiesConfig as Json).CookieBehavior === 'whitelist'
        ? 'list'
        : (key.CookiesConfig as Json).CookieBehavior,
      (key.CookiesConfig as Json).Cookies,
    ),
    queryStrings: list(
      (key.QueryStringsConfig as Json).QueryStringBehavior === 'whitelist'
        ? 'list'
        : (key.QueryStringsConfig as Json).QueryStringBehavior,
      (key.QueryStringsConfig as Json).QueryStrings,
    ),
  };
}

export interface ViewerRequest {
  readonly method: string;
  /** The path and query string, as the viewer sent them. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

function cookiesOf(header: string | undefined): [string, string][] {
  return (header ?? '')
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    });
}

const selected = (rule: 'none' | 'all' | readonly string[], pairs: [string, string][]) =>
  rule === 'none'
    ? []
    : pairs.filter(([name]) => rule === 'all' || rule.includes(name)).sort(([a], [b]) => a.localeCompare(b));

/**
 * The cache key of a request, or undefined when CloudFront never caches it (only GET and
 * HEAD are cached). The path always, then the query strings, headers and cookies the policy
 * names.
 */
export function cacheKey(policy: CachePolicySettings, request: ViewerRequest): string | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const url = new URL(request.url, 'http://viewer');
  const query = selected(policy.queryStrings, [...url.searchParams.entries()]);
  const headers = policy.headers.map((name) => `${name}=${request.headers[name] ?? ''}`);
  const cookies = selected(policy.cookies, cookiesOf(request.headers.cookie));
  return JSON.stringify([url.pathname, query, headers, cookies]);
}

/** How long CloudFront keeps an answer, and how long after that it may still serve it while revalidating. */
export interface Retention {
  readonly seconds: number;
  readonly staleWhileRevalidate: number;
}

/** The answers CloudFront caches, and the errors it caches by its error-caching rules. */
const cacheableStatus = new Set([200, 203, 206, 300, 301, 410]);
const cachedErrors = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
const errorCachingMinTtl = 10;

function directives(cacheControl: string | undefined): Map<string, string | undefined> {
  const result = new Map<string, string | undefined>();
  for (const part of (cacheControl ?? '').split(',')) {
    const [name, value] = part.trim().split('=');
    if (name) result.set(name.toLowerCase(), value?.replace(/^"|"$/g, ''));
  }
  return result;
}

/**
 * How long the answer is kept: `no-store`, `no-cache` and `private` keep it not at all while
 * the policy's minimum TTL is 0; otherwise `s-maxage`, else `max-age`, within the policy's
 * minimum and maximum; without either, the default TTL (for 4xx and 5xx answers, ten
 * seconds, CloudFront's error-caching minimum).
 */
export function retentionOf(
  policy: CachePolicySettings,
  statusCode: number,
  cacheControl: string | undefined,
): Retention {
  const none = { seconds: 0, staleWhileRevalidate: 0 };
  const error = cachedErrors.has(statusCode);
  if (!error && !cacheableStatus.has(statusCode)) return none;
  const found = directives(cacheControl);
  if (['no-store', 'no-cache', 'private'].some((name) => found.has(name)))
    return policy.minTtl > 0 ? { seconds: policy.minTtl, staleWhileRevalidate: 0 } : none;
  const stated = found.get('s-maxage') ?? found.get('max-age');
  const clamp = (seconds: number) => Math.min(policy.maxTtl, Math.max(policy.minTtl, seconds));
  const seconds =
    stated !== undefined ? clamp(Number(stated)) : error ? errorCachingMinTtl : clamp(policy.defaultTtl);
  if (seconds <= 0) return none;
  const stale = Number(found.get('stale-while-revalidate') ?? 0);
  return { seconds, staleWhileRevalidate: Number.isFinite(stale) ? stale : 0 };
}
