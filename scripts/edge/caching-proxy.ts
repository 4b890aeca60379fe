import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CachePolicySettings, cacheKey, retentionOf } from './cloudfront-cache.ts';

interface Stored {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly storedAt: number;
  readonly freshMs: number;
  readonly staleMs: number;
}

export interface CacheCounts {
  /** Requests the proxy received. */
  readonly requests: number;
  /** Answered from the cache while fresh. */
  readonly hits: number;
  /** Answered from the cache after it went stale, while a fresh copy was fetched. */
  readonly staleHits: number;
  /** Requests that went on to the origin, and background revalidations. */
  readonly originCalls: number;
}

/**
 * A small stand-in for CloudFront in front of the local runtime: it caches what the
 * behaviour's cache policy and the origin's Cache-Control allow (./cloudfront-cache.ts),
 * collapses concurrent misses of one key into one origin call (not for keys whose answers
 * it could not store), and serves a stale copy
 * within `stale-while-revalidate` while one background call refreshes it. Everything else
 * passes through.
 */
export async function startCachingProxy(origin: string, policy: CachePolicySettings) {
  const cache = new Map<string, Stored>();
  const inFlight = new Map<string, Promise<Stored>>();
  // Keys whose last answer could not be stored (private, no-store): their requests go to the
  // origin one by one, none waits for another's answer.
  const uncacheable = new Set<string>();
  const counts = { requests: 0, hits: 0, staleHits: 0, originCalls: 0 };

  const fetchOrigin = async (request: IncomingMessage, body: Buffer): Promise<Stored> => {
    counts.originCalls++;
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (name === 'host' || name === 'connection' || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const answer = await fetch(`${origin}${request.url}`, {
      method: request.method,
      headers,
      body: body.length ? body : undefined,
      redirect: 'manual',
    });
    const answerHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name))
        answerHeaders[name] = value;
    });
    const retention = retentionOf(policy, answer.status, answer.headers.get('cache-control') ?? undefined);
    return {
      status: answer.status,
      headers: answerHeaders,
      body: Buffer.from(await answer.arrayBuffer()),
      storedAt: Date.now(),
      freshMs: retention.seconds * 1000,
      staleMs: retention.staleWhileRevalidate * 1000,
    };
  };

  /** What the origin brings is stored when it may be. */
  const store = (key: string, stored: Stored) => {
    if (stored.freshMs > 0) {
      cache.set(key, stored);
      uncacheable.delete(key);
    } else {
      cache.delete(key);
      uncacheable.add(key);
    }
    return stored;
  };

  /** One origin call per key at a time. */
  const refresh = (key: string, request: IncomingMessage, body: Buffer) => {
    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchOrigin(request, body)
        .then((stored) => store(key, stored))
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };

  const server = createServer(async (request, response) => {
    counts.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    try {
      const key = request.url?.startsWith('/api/')
        ? cacheKey(policy, {
            method: request.method ?? 'GET',
            url: request.url,
            headers: request.headers as never,
          })
        : undefined;
      let answer: Stored;
      const stored = key === undefined ? undefined : cache.get(key);
      const age = stored ? Date.now() - stored.storedAt : 0;
      if (key !== undefined && stored && age < stored.freshMs) {
        counts.hits++;
        answer = stored;
      } else if (key !== undefined && stored && age < stored.freshMs + stored.staleMs) {
        counts.staleHits++;
        void refresh(key, request, body).catch(() => undefined);
        answer = stored;
      } else if (key !== undefined && uncacheable.has(key)) {
        answer = store(key, await fetchOrigin(request, body));
      } else if (key !== undefined) {
        answer = await refresh(key, request, body);
      } else {
        answer = await fetchOrigin(request, body);
      }
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: (): CacheCounts => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
