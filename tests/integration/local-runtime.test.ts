import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent } from '../../events/index.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { originVerifyHeader } from '../../shared/http/origin-verify.ts';
import { routeList } from '../../shared/http/routes.ts';
import { readJson } from '../support/json.ts';
import { createLoggedInUser, decodeClaims, signedToken } from './support/cognito.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
/** Every invocation's function, and every line each function wrote. */
const invoked: string[] = [];
const logLines: { name: string; line: string }[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    pollQueues: false,
    onInvoked: (name) => invoked.push(name),
    functionLog: (name, line) => logLines.push({ name, line }),
  });
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

  it('serves the rendered API reference at /api/docs: a page of its own origin’s renderer files', async () => {
    const response = await fetch(`${stack.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers.get('content-security-policy-report-only')).toBeNull();
    const html = await response.text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(references).toEqual(
      expect.arrayContaining([
        '/api-docs/swagger-ui.css',
        '/api-docs/swagger-ui-bundle.js',
        '/api-docs/api-docs.js',
      ]),
    );
    // Everything it loads is Easel's own: no CDN, no other origin.
    for (const reference of references) expect(reference).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers an unknown API path with 404 in the error format', async () => {
    const response = await fetch(`${stack.url}/api/definitely/not/here`);
    expect(response.status).toBe(404);
    const body = await readJson(response);
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.requestId).toEqual(expect.any(String));
  });

  it('answers a known path asked with another method with 405, naming the methods it takes in Allow', async () => {
    const response = await fetch(`${stack.url}/api/images/01JD4X8Q2N3V5W7Y9Z0A1B2C3D`, { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'PATCH']);
    const body = await readJson(response);
    expect(body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(body.error.message).toContain('PUT');

    const health = await fetch(`${stack.url}/api/health`, { method: 'DELETE' });
    expect(health.status).toBe(405);
    expect(health.headers.get('allow')).toBe('GET');
  });

  it('sends no header valued "undefined" and no empty header, answers and errors alike', async () => {
    for (const [path, method] of [
      ['/api/health', 'GET'],
      ['/api/definitely/not/here', 'GET'],
      ['/api/me', 'GET'],
      ['/api/auth/login', 'POST'],
    ] as const) {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        body: method === 'POST' ? '{' : undefined,
      });
      const headers = [...response.headers];
      expect(headers.length).toBeGreaterThan(3);
      for (const [name, value] of headers) {
        expect({ path, name, value }).not.toMatchObject({ value: 'undefined' });
        expect({ path, name, value: value.trim() }).not.toMatchObject({ value: '' });
      }
      expect(response.headers.has('server')).toBe(false);
      expect(response.headers.has('x-powered-by')).toBe(false);
      expect(response.headers.has('reporting-endpoints')).toBe(false);
      await response.arrayBuffer();
    }
  });

  it('serves the web page on /', async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Easel</title>');
  });
});

describe('the API answers only through CloudFront', () => {
  it('refuses a request straight to execute-api, without the origin header, with 403 in the error format', async () => {
    const result = (await stack.invoke('api-catalogue', apiEvent())) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!).error.code).toBe('FORBIDDEN');
  });

  it('refuses a guessed origin header the same way', async () => {
    const event = apiEvent({ headers: { [originVerifyHeader]: 'guessed' } });
    const result = (await stack.invoke('api-catalogue', event)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(403);
  });

  it('replaces a viewer’s own origin header with the stack’s secret, as CloudFront does', async () => {
    const response = await fetch(`${stack.url}/api/health`, { headers: { [originVerifyHeader]: 'guessed' } });
    expect(response.status).toBe(200);
  });
});

describe('the JWT authorizer, as API Gateway runs it from the template', () => {
  const me = (authorization?: string) =>
    fetch(`${stack.url}/api/me`, { headers: authorization ? { authorization } : {} });
  // GET /api/jobs asks Cognito nothing, so a token re-signed with the emulator's key passes it.
  const jobs = (authorization?: string) =>
    fetch(`${stack.url}/api/jobs`, { headers: authorization ? { authorization } : {} });

  it('refuses a missing, tampered, expired or foreign token with 401 before the function runs', async () => {
    const { AccessToken } = await createLoggedInUser(stack.stack, 'grace@example.com');
    const claims = decodeClaims(AccessToken!);
    const [header, payload, signature] = AccessToken!.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString(
      'base64url',
    );
    const now = Math.floor(Date.now() / 1000);
    const refused = {
      missing: undefined,
      garbage: 'Bearer not-a-jwt',
      tamperedSignature: `Bearer ${header}.${payload}.${signature!.slice(0, -4)}AAAA`,
      tamperedClaims: `Bearer ${header}.${forgedPayload}.${signature}`,
      expired: `Bearer ${signedToken({ ...claims, iat: now - 7200, exp: now - 3600 })}`,
      notYetValid: `Bearer ${signedToken({ ...claims, nbf: now + 600, exp: now + 1200 })}`,
      otherClient: `Bearer ${signedToken({ ...claims, client_id: 'some-other-client', exp: now + 600 })}`,
      otherIssuer: `Bearer ${signedToken({ ...claims, iss: 'https://issuer.example.com/pool', exp: now + 600 })}`,
    };
    invoked.length = 0;
    for (const [name, token] of Object.entries(refused)) {
      const response = await jobs(token);
      expect(response.status, name).toBe(401);
      expect((await readJson(response)).error.code, name).toBe('UNAUTHENTICATED');
    }
    expect(invoked).toEqual([]);
    // The same claims signed properly and unexpired pass: the refusals above were for the reasons named.
    expect((await jobs(`Bearer ${signedToken({ ...claims, exp: now + 600 })}`)).status).toBe(200);
    // API Gateway takes the token with or without the "Bearer " prefix.
    expect((await jobs(AccessToken)).status).toBe(200);
    expect(invoked).toEqual(['api-generations', 'api-generations']);
  });

  it('lets an ID token through, as API Gateway does, and the product refuses it with 401', async () => {
    const tokens = await createLoggedInUser(stack.stack, 'hedy@example.com');
    invoked.length = 0;
    const byIdToken = await me(`Bearer ${tokens.IdToken}`);
    expect(byIdToken.status).toBe(401);
    expect((await readJson(byIdToken)).error.code).toBe('UNAUTHENTICATED');
    // The authorizer passed it (its audience is the app client); the function itself said no.
    expect(invoked).toEqual(['api-me']);
    expect((await me(`Bearer ${tokens.AccessToken}`)).status).toBe(200);
  });
});

describe('one function, one sandbox', () => {
  it('logs each request under its own function name and request id, even when requests overlap', async () => {
    logLines.length = 0;
    const paths = [
      '/api/health',
      '/api/gallery',
      '/api/styles',
      '/api/gallery?limit=5',
      '/api/config',
      '/api/gallery',
    ];
    const responses = await Promise.all(paths.map((path) => fetch(`${stack.url}${path}`)));
    const served = new Map<string, string>();
    responses.forEach((response, index) => {
      expect(response.status).toBe(200);
      served.set(
        response.headers.get('apigw-requestid')!,
        paths[index]!.startsWith('/api/gallery') ? 'api-gallery' : 'api-catalogue',
      );
    });
    const entries = logLines
      .filter(({ line }) => line.startsWith('{'))
      .map(({ name, line }) => ({ name, entry: JSON.parse(line) as Record<string, unknown> }))
      .filter(({ entry }) => served.has(String(entry.requestId)));
    // Each request logged its "request" and "response" lines, from the function that served it.
    expect(entries.length).toBe(paths.length * 2);
    const invocationOf = new Map<string, unknown>();
    for (const { name, entry } of entries) {
      expect(entry.function_name).toBe(served.get(String(entry.requestId)));
      expect(name).toBe(entry.function_name);
      // Both lines of a request carry its invocation's Lambda request id, and no other request's.
      const requestId = String(entry.requestId);
      if (!invocationOf.has(requestId)) invocationOf.set(requestId, entry.function_request_id);
      expect(entry.function_request_id).toBe(invocationOf.get(requestId));
    }
    expect(new Set(invocationOf.values()).size).toBe(paths.length);
  });
});
