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
  const seen: { path: string; authorization?: string; body: string }[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
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
});
