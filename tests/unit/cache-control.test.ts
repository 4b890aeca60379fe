import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { apiEvent, lambdaContext } from '../../events/index.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { carriesCredentials, privateNoStore, sharedCaches } from '../../shared/http/cache-control.ts';
import { defineRoute } from '../../shared/http/route.ts';
import { bind, httpRouter } from '../../shared/http/router.ts';
import { routeList, routes } from '../../shared/http/routes.ts';
import { mockOriginSecret, testOriginSecret, viaCloudFront } from './support/cloudfront.ts';

const listThings = defineRoute({
  operationId: 'listThings',
  method: 'GET',
  path: '/api/things',
  function: 'test',
  auth: 'optional',
  summary: 'a public read that personalises',
  tags: ['test'],
  request: { query: z.object({ missing: z.optional(z.enum(['yes'])) }) },
  responses: { 200: { description: 'things' } },
  cache: sharedCaches.live,
});
const getPlain = defineRoute({
  operationId: 'getPlain',
  method: 'GET',
  path: '/api/plain',
  function: 'test',
  auth: 'public',
  summary: 'a public read that declares no cache',
  tags: ['test'],
  responses: { 200: { description: 'plain' } },
});

mockOriginSecret();
const { handler: catalogue } = await import('../../functions/api-catalogue.ts');

const router = httpRouter(
  [
    bind(listThings, async ({ query, caller }) => {
      if (query.missing) throw new NotFoundError('No such things.');
      return {
        statusCode: 200,
        body: { items: [], viewer: caller?.userId ?? null },
        // An implementation cannot make an answer to a credentialed request public.
        headers: { 'Cache-Control': 'public, max-age=600' },
      };
    }),
    bind(getPlain, async () => ({ statusCode: 200, body: {} })),
  ],
  {
    originSecret: testOriginSecret,
    resolveOptionalCaller: async (event) =>
      event.headers?.authorization
        ? { userId: 'u1', username: 'u1', tokenIssuedAt: 0, accessToken: 't' }
        : undefined,
  },
);

async function get(
  path: string,
  options: { headers?: Record<string, string>; cookies?: string[]; query?: Record<string, string> } = {},
  fn = router,
) {
  const event = apiEvent({
    method: 'GET',
    path,
    headers: options.headers,
    queryStringParameters: options.query,
  });
  if (options.cookies) event.cookies = options.cookies;
  viaCloudFront(event);
  const result = (await fn(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  return {
    status: result.statusCode,
    headers,
    cacheControls: Object.keys(headers).filter((n) => n === 'cache-control'),
  };
}

describe('Cache-Control of answers', () => {
  it('lets CloudFront keep an anonymous answer of a cacheable route for seconds, browsers not at all', async () => {
    const res = await get('/api/things');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=0, s-maxage=5, stale-while-revalidate=10');
  });

  it('makes the answer to a request with a token private and unstored, whatever the implementation said', async () => {
    const res = await get('/api/things', { headers: { authorization: 'Bearer abc' } });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe(privateNoStore);
  });

  it('makes the answer to a request with a cookie private and unstored', async () => {
    expect((await get('/api/things', { cookies: ['easel_refresh=abc'] })).headers['cache-control']).toBe(
      privateNoStore,
    );
    expect((await get('/api/things', { headers: { cookie: 'a=b' } })).headers['cache-control']).toBe(
      privateNoStore,
    );
  });

  it('never lets an error be kept, not even an anonymous one of a cacheable route', async () => {
    const notFound = await get('/api/things', { query: { missing: 'yes' } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers['cache-control']).toBe(privateNoStore);
    const invalid = await get('/api/things', { query: { missing: 'no' } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['cache-control']).toBe(privateNoStore);
  });

  it('keeps the answer of a route that declares no cache private', async () => {
    expect((await get('/api/plain')).headers['cache-control']).toBe(privateNoStore);
  });

  it('sends exactly one Cache-Control header, the stack’s, when the implementation set its own', async () => {
    expect((await get('/api/things')).cacheControls).toEqual(['cache-control']);
  });

  it('lets the catalogue’s styles and settings be kept as long as a deployment lasts, and its health not', async () => {
    const styles = await get('/api/styles', {}, catalogue);
    expect(styles.headers['cache-control']).toBe(
      'public, max-age=300, s-maxage=300, stale-while-revalidate=60',
    );
    const config = await get('/api/config', { headers: { authorization: 'Bearer abc' } }, catalogue);
    expect(config.headers['cache-control']).toBe(privateNoStore);
    expect((await get('/api/health', {}, catalogue)).headers['cache-control']).toBe(privateNoStore);
  });

  it('tells credentials in any letter case, and an empty request from them', () => {
    expect(carriesCredentials({ headers: { Authorization: 'Bearer x' } })).toBe(true);
    expect(carriesCredentials({ headers: {}, cookies: [] })).toBe(false);
    expect(carriesCredentials({ headers: { accept: 'application/json' } })).toBe(false);
  });
});

describe('the route table’s caches', () => {
  it('declares a shared cache on the public reads', () => {
    for (const route of [
      routes.getGallery,
      routes.getImage,
      routes.listComments,
      routes.getStyles,
      routes.getConfig,
    ])
      expect(route.cache, route.operationId).toBeDefined();
  });

  it('declares one only on GET routes that need no token', () => {
    for (const route of routeList.filter((r) => r.cache)) {
      expect(route.method, route.operationId).toBe('GET');
      expect(route.auth, route.operationId).not.toBe('user');
    }
  });
});
