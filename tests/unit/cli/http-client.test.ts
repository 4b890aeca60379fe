import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../cli/errors.ts';
import { ApiClient } from '../../../cli/http-client.ts';
import { TokenStore } from '../../../cli/token-store.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A stand-in API: answers by path, and records what it was asked. */
async function fakeApi(answer: (request: IncomingMessage, body: string) => [number, unknown]) {
  const seen: {
    method?: string;
    path: string;
    authorization?: string;
    contentType?: string;
    idempotencyKey?: string;
    body: string;
  }[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({
        method: request.method,
        path: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        idempotencyKey: request.headers['idempotency-key'] as string | undefined,
        body,
      });
      const [status, json] = answer(request, body);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const store = new TokenStore(path.join(await mkdtemp(path.join(tmpdir(), 'easel-http-')), 'easel'));
  return { endpoint, store, seen };
}

describe('ApiClient', () => {
  it('refreshes an access token that is about to expire, and keeps the new one', async () => {
    const { endpoint, store, seen } = await fakeApi((request) =>
      request.url === '/api/auth/refresh'
        ? [200, { accessToken: 'fresh', idToken: 'id', expiresIn: 3600, tokenType: 'Bearer' }]
        : [200, { ok: true }],
    );
    const now = 1_000_000;
    await store.set(endpoint, {
      email: 'a@x.com',
      accessToken: 'stale',
      refreshToken: 'r1',
      expiresAt: now + 30_000,
    });
    await new ApiClient(endpoint, store, () => now).call('getMe');
    expect(seen.map((call) => call.path)).toEqual(['/api/auth/refresh', '/api/me']);
    expect(JSON.parse(seen[0]!.body)).toEqual({ refreshToken: 'r1' });
    expect(seen[1]!.authorization).toBe('Bearer fresh');
    expect(await store.get(endpoint)).toMatchObject({ accessToken: 'fresh', expiresAt: now + 3_600_000 });
  });

  it('uses a token with time left as it is', async () => {
    const { endpoint, store, seen } = await fakeApi(() => [200, {}]);
    await store.set(endpoint, {
      email: 'a@x.com',
      accessToken: 'good',
      refreshToken: 'r1',
      expiresAt: 10_000_000,
    });
    await new ApiClient(endpoint, store, () => 1_000_000).call('getMe');
    expect(seen.map((call) => [call.path, call.authorization])).toEqual([['/api/me', 'Bearer good']]);
  });

  it('asks for a new login when the refresh token is refused', async () => {
    const { endpoint, store } = await fakeApi(() => [
      401,
      { error: { code: 'UNAUTHENTICATED', message: 'revoked' }, requestId: 'r' },
    ]);
    await store.set(endpoint, { email: 'a@x.com', accessToken: 'old', refreshToken: 'r1', expiresAt: 0 });
    await expect(new ApiClient(endpoint, store, () => 1_000_000).call('getMe')).rejects.toThrow(
      /log in again with: easel login/i,
    );
  });

  it('turns the API’s error body into an ApiError with its code', async () => {
    const { endpoint, store } = await fakeApi(() => [
      429,
      { error: { code: 'QUOTA_EXCEEDED', message: 'No more images today.' }, requestId: 'req-1' },
    ]);
    const error = await new ApiClient(endpoint, store).call('getGallery').catch((error: unknown) => error);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'QUOTA_EXCEEDED',
      message: 'No more images today.',
      requestId: 'req-1',
    });
  });

  it('calls by operation: its method, its path with encoded parameters and its query', async () => {
    const { endpoint, store, seen } = await fakeApi(() => [200, { items: [], nextCursor: null }]);
    const api = new ApiClient(endpoint, store);
    await api.call('listUserImages', { params: { userId: 'a/b c' }, query: { limit: 5, cursor: undefined } });
    await api.call('getGallery', { query: { q: 'red & blue', sort: 'popular' } });
    expect(seen.map((call) => [call.method, call.path])).toEqual([
      ['GET', '/api/users/a%2Fb%20c/images?limit=5'],
      ['GET', '/api/gallery?q=red+%26+blue&sort=popular'],
    ]);
  });

  it('sends the token as each route’s auth asks: never to a public one, when logged in to an optional one', async () => {
    const { endpoint, store, seen } = await fakeApi(() => [200, {}]);
    const api = new ApiClient(endpoint, store, () => 1_000_000);
    await api.call('getImage', { params: { imageId: 'i1' } });
    await expect(api.call('getMe')).rejects.toThrow(/not logged in/i);
    await store.set(endpoint, {
      email: 'a@x.com',
      accessToken: 'good',
      refreshToken: 'r1',
      expiresAt: 10_000_000,
    });
    await api.call('getImage', { params: { imageId: 'i1' } });
    await api.call('getStyles');
    await api.call('getMe');
    expect(seen.map((call) => [call.path, call.authorization])).toEqual([
      ['/api/images/i1', undefined],
      ['/api/images/i1', 'Bearer good'],
      ['/api/styles', undefined],
      ['/api/me', 'Bearer good'],
    ]);
  });

  it('calls an optional route anonymously when the stored login no longer holds', async () => {
    const { endpoint, store, seen } = await fakeApi((request) =>
      request.url === '/api/auth/refresh'
        ? [401, { error: { code: 'UNAUTHENTICATED', message: 'revoked' }, requestId: 'r' }]
        : [200, { items: [], nextCursor: null }],
    );
    await store.set(endpoint, { email: 'a@x.com', accessToken: 'old', refreshToken: 'r1', expiresAt: 0 });
    await new ApiClient(endpoint, store, () => 1_000_000).call('getGallery');
    expect(seen.map((call) => [call.path, call.authorization])).toEqual([
      ['/api/auth/refresh', undefined],
      ['/api/gallery', undefined],
    ]);
  });

  it('sends a body as JSON, with the headers given beside it', async () => {
    const { endpoint, store, seen } = await fakeApi(() => [202, { jobId: 'j1', status: 'QUEUED' }]);
    await store.set(endpoint, {
      email: 'a@x.com',
      accessToken: 'good',
      refreshToken: 'r1',
      expiresAt: 10_000_000,
    });
    const accepted = await new ApiClient(endpoint, store, () => 1_000_000).call('createGeneration', {
      body: { prompt: 'a fox' },
      headers: { 'idempotency-key': 'key-1' },
    });
    expect(accepted.jobId).toBe('j1');
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/api/generations',
      contentType: 'application/json',
      idempotencyKey: 'key-1',
      authorization: 'Bearer good',
    });
    expect(JSON.parse(seen[0]!.body)).toEqual({ prompt: 'a fox' });
  });
});
