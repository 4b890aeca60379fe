import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../scripts/local-runtime/http-server.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { createTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { defineRoute } from '../../shared/http/route.ts';
import { routeList } from '../../shared/http/routes.ts';
import { readJson } from '../support/json.ts';
import { createLoggedInUser, decodeClaims, signedToken } from './support/cognito.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startTestStack({ pollQueues: false });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the local runtime serves the real functions', () => {
  it('answers GET /api/health with 200 {"status":"ok"}', async () => {
    const response = await fetch(`${stack.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await readJson(response)).toEqual({ status: 'ok' });
  });

  it('serves a valid OpenAPI 3.1 document of every route', async () => {
    const response = await fetch(`${stack.url}/api/openapi.json`);
    const document = await readJson(response);
    expect(document.openapi).toBe('3.1.0');
    for (const route of routeList.filter((r) => r.method !== 'ANY')) {
      expect(document.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.operationId);
    }
  });

  it('answers an unknown API path with 404 in the error format', async () => {
    const response = await fetch(`${stack.url}/api/definitely/not/here`);
    expect(response.status).toBe(404);
    const body = await readJson(response);
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.requestId).toEqual(expect.any(String));
  });

  it('serves the web page on /', async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Easel</title>');
  });
});

describe('the JWT authorizer, as API Gateway runs it', () => {
  const protectedRoute = defineRoute({
    operationId: 'whoAmI',
    method: 'GET',
    path: '/api/test/whoami',
    function: 'test-whoami',
    auth: 'user',
    summary: 'test',
    tags: [],
    responses: { 200: { description: 'the claims' } },
  });
  let server: ApiServer;
  const invocations: unknown[] = [];

  beforeAll(async () => {
    server = await startApiServer({
      port: 0,
      routes: [protectedRoute],
      region: stack.stack.region,
      verifyToken: createTokenVerifier({
        userPoolId: stack.stack.userPoolId,
        clientId: stack.stack.userPoolClientId,
        jwksUri: stack.stack.jwksUri,
      }),
      loadFunction: async () => async (event: never) => {
        invocations.push(event);
        const claims = (event as { requestContext: { authorizer: { jwt: { claims: unknown } } } })
          .requestContext.authorizer.jwt.claims;
        return { statusCode: 200, body: JSON.stringify(claims) };
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = (token?: string) =>
    fetch(`${server.url}/api/test/whoami`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('passes a token from the emulator’s Cognito and hands the claims to the handler', async () => {
    const tokens = await createLoggedInUser(stack.stack, 'ada@example.com');
    const response = await get(tokens.AccessToken);
    expect(response.status).toBe(200);
    const claims = await readJson(response);
    expect(claims.sub).toBe(decodeClaims(tokens.AccessToken!).sub);
    expect(claims.token_use).toBe('access');
    expect(invocations).toHaveLength(1);
  });

  it('refuses a missing, tampered, expired or foreign token with 401 before the handler runs', async () => {
    invocations.length = 0;
    const { AccessToken } = await createLoggedInUser(stack.stack, 'grace@example.com');
    const claims = decodeClaims(AccessToken!);
    const [header, payload, signature] = AccessToken!.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString(
      'base64url',
    );
    const now = Math.floor(Date.now() / 1000);
    const refused = {
      missing: undefined,
      garbage: 'not-a-jwt',
      tamperedSignature: `${header}.${payload}.${signature!.slice(0, -4)}AAAA`,
      tamperedClaims: `${header}.${forgedPayload}.${signature}`,
      expired: signedToken({ ...claims, iat: now - 7200, exp: now - 3600 }),
      otherClient: signedToken({ ...claims, client_id: 'some-other-client', exp: now + 600 }),
      idTokenUse: signedToken({ ...claims, token_use: 'id', exp: now + 600 }),
    };
    for (const [name, token] of Object.entries(refused)) {
      const response = await get(token);
      expect(response.status, name).toBe(401);
      expect((await readJson(response)).error.code, name).toBe('UNAUTHENTICATED');
    }
    expect(invocations).toHaveLength(0);
    // The same claims signed properly and unexpired pass: the refusals above were for the reasons named.
    expect((await get(signedToken({ ...claims, exp: now + 600 }))).status).toBe(200);
  });
});
