import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { operationsFile, operationsModule } from '../../scripts/generate-operations.ts';
import {
  buildPath,
  type CallInput,
  type CallResult,
  documents,
  prepareCall,
  queryString,
} from '../../shared/http/api-client.ts';
import { liveSocketPath, operations } from '../../shared/http/operations.ts';
import { liveSocketRoutes, routes } from '../../shared/http/routes.ts';
import { ApiError } from '../../web/src/api/errors.ts';

describe('the operations module', () => {
  it('is what the route table makes of it now (npm run generate writes it again)', () => {
    expect(readFileSync(operationsFile, 'utf8')).toBe(operationsModule());
  });

  it('has every callable route with its method, path and auth, and the live socket’s path', () => {
    const callable = Object.entries(routes).filter(([, route]) => route.method !== 'ANY');
    expect(Object.keys(operations).sort()).toEqual(callable.map(([id]) => id).sort());
    for (const [id, route] of callable)
      expect(operations[id as keyof typeof operations]).toMatchObject({
        method: route.method,
        path: route.path,
        auth: route.auth,
      });
    expect(liveSocketPath).toBe(liveSocketRoutes.path);
  });

  it('lists the statuses each route documents, its own and those it gives for what it is', () => {
    expect(documents('getImage', 404)).toBe(true);
    expect(documents('getGallery', 404)).toBe(false);
    expect(documents('createEdit', 409)).toBe(true);
    // Every route but a public one can answer 401.
    expect(documents('getMe', 401)).toBe(true);
    expect(documents('getStyles', 401)).toBe(false);
  });
});

describe('a prepared call', () => {
  it('substitutes and encodes the path parameters from the route’s template', () => {
    expect(prepareCall('getImage', { params: { imageId: 'a b/c?d' } })).toMatchObject({
      method: 'GET',
      path: '/api/images/a%20b%2Fc%3Fd',
      auth: 'optional',
    });
    expect(
      prepareCall('editComment', { params: { imageId: 'i1', commentId: 'c#1' }, body: { text: 'x' } }).path,
    ).toBe('/api/images/i1/comments/c%231');
    expect(buildPath('/api/users/{userId}/images', { userId: 'ü' })).toBe('/api/users/%C3%BC/images');
  });

  it('refuses a path parameter that is missing or empty rather than calling another path', () => {
    expect(() => buildPath('/api/images/{imageId}', {})).toThrow(/imageId/);
    expect(() => buildPath('/api/images/{imageId}', { imageId: '' })).toThrow(/imageId/);
  });

  it('serialises the query, leaving out what is not given', () => {
    expect(
      prepareCall('getGallery', {
        query: { q: 'red fox & hen', sort: 'popular', cursor: undefined, limit: 24 },
      }).path,
    ).toBe('/api/gallery?q=red+fox+%26+hen&sort=popular&limit=24');
    expect(prepareCall('listImages', { query: {} }).path).toBe('/api/images');
    expect(queryString({ a: null, b: '', c: 0, d: ['x', 'y'] })).toBe('?c=0&d=x&d=y');
  });

  it('sends a body as JSON with its content type, and a form as it is', () => {
    const json = prepareCall('createEdit', { body: { imageId: 'i1', prompt: 'a kite' } });
    expect(json).toMatchObject({ method: 'POST', path: '/api/edits', auth: 'user' });
    expect(json.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(json.body as string)).toEqual({ imageId: 'i1', prompt: 'a kite' });

    const form = new FormData();
    form.append('prompt', 'a kite');
    const multipart = prepareCall('createEdit', { body: form });
    expect(multipart.body).toBe(form);
    // fetch sets the multipart content type with its boundary.
    expect(multipart.headers).toEqual({});

    expect(prepareCall('getMe')).toEqual({
      operationId: 'getMe',
      method: 'GET',
      path: '/api/me',
      auth: 'user',
      headers: {},
    });
  });

  it('is typed from the route’s schemas', () => {
    // Compile-time checks: `npm run typecheck` fails if these types drift from the schemas.
    const input: CallInput<'getImage'> = { params: { imageId: 'i1' } };
    const liked: CallResult<'likeImage'> = { imageId: 'i1', liked: true, likeCount: 1 };
    const nothing: CallResult<'deleteImage'> = undefined;
    // @ts-expect-error getImage needs its imageId
    const missing: CallInput<'getImage'> = {};
    // @ts-expect-error a kind of image that does not exist
    const wrongKind: CallInput<'listImages'> = { query: { kind: 'drawn' } };
    expect([input, liked, nothing, missing, wrongKind]).toHaveLength(5);
  });
});

/**
 * The web app's session module, loaded at run time: it is typed against the DOM, which
 * `tsc -p web` checks and this project's compilation does not have.
 */
const webSessionModule = '../../web/src/api/session.ts';
type WebCall = (operationId: string, input?: Record<string, unknown>) => Promise<unknown>;
const webSession = () => import(webSessionModule) as Promise<{ call: WebCall }>;

describe('the web app’s call', () => {
  const answers: { status: number; body: unknown }[] = [];
  const sent: { url: string; init: RequestInit }[] = [];

  beforeEach(() => {
    answers.length = 0;
    sent.length = 0;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      const answer = answers.shift() ?? { status: 200, body: {} };
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('calls a public route by its operation, without a token', async () => {
    const { call } = await webSession();
    answers.push({ status: 200, body: { items: [] } });
    expect(await call('getStyles')).toEqual({ items: [] });
    expect(sent[0]!.url).toBe('/api/styles');
    expect(sent[0]!.init.method).toBe('GET');
    expect(new Headers(sent[0]!.init.headers).get('authorization')).toBeNull();
  });

  it('sends an optional route’s call anonymously when logged out, and its query and idempotency key', async () => {
    const { call } = await webSession();
    await call('getGallery', { query: { sort: 'popular', period: 'day' }, cache: 'no-cache' });
    expect(sent[0]!.url).toBe('/api/gallery?sort=popular&period=day');
    expect((sent[0]!.init as { cache?: string }).cache).toBe('no-cache');
    expect(new Headers(sent[0]!.init.headers).get('authorization')).toBeNull();

    await call('signUp', {
      body: { email: 'a@example.com', password: 'Correct-Horse-9' },
      headers: { 'idempotency-key': 'k1' },
    });
    const headers = new Headers(sent[1]!.init.headers);
    expect([sent[1]!.init.method, sent[1]!.url]).toEqual(['POST', '/api/auth/signup']);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('idempotency-key')).toBe('k1');
  });

  it('refuses a user route when logged out without calling it', async () => {
    const { call } = await webSession();
    const error = await call('getMe').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(sent).toHaveLength(0);
  });

  it('throws the API’s error as an ApiError with its status, code, message and details', async () => {
    const { call } = await webSession();
    answers.push({
      status: 400,
      body: {
        error: { code: 'VALIDATION_FAILED', message: 'bad', details: [{ field: 'email', message: 'no' }] },
        requestId: 'r1',
      },
    });
    const error = await call('forgotPassword', { body: { email: 'x' } }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'bad',
      details: [{ field: 'email', message: 'no' }],
      requestId: 'r1',
    });
  });

  it('tells a route this server does not serve by its code, from a 404 the route never answers', async () => {
    const { call } = await webSession();
    const notFound = { error: { code: 'NOT_FOUND', message: 'No route GET /api/gallery.' }, requestId: 'r' };
    answers.push({ status: 404, body: notFound });
    expect(await call('getGallery').catch((failure: unknown) => failure)).toMatchObject({
      status: 404,
      code: 'NOT_SERVED',
    });
    // A route that answers 404 for a missing resource keeps the API's code.
    answers.push({ status: 404, body: notFound });
    expect(
      await call('getUser', { params: { userId: 'u1' } }).catch((failure: unknown) => failure),
    ).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });
});
