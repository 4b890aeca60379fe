import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { apiEvent, lambdaContext } from '../../events/index.ts';
import { loadConfig } from '../../shared/config.ts';
import { styles } from '../../shared/domain/catalogue/styles.ts';
import { generationSettings } from '../../shared/domain/generation/generation-settings.ts';
import { ConflictError, UnauthenticatedError } from '../../shared/errors.ts';
import { functionConfig } from '../../shared/function-config.ts';
import { openApiDocument } from '../../shared/http/openapi.ts';
import { originVerifyHeader } from '../../shared/http/origin-verify.ts';
import { defineRoute } from '../../shared/http/route.ts';
import { bind, httpRouter } from '../../shared/http/router.ts';
import { routeList } from '../../shared/http/routes.ts';
import { FileField } from '../../shared/schemas/fields.ts';
import { mockOriginSecret, testOriginSecret, viaCloudFront } from './support/cloudfront.ts';

const createThing = defineRoute({
  operationId: 'createThing',
  method: 'POST',
  path: '/api/things/{thingId}',
  function: 'test',
  auth: 'user',
  summary: 'test route',
  tags: ['test'],
  request: {
    params: z.object({ thingId: z.string().check(z.regex(/^[A-Z0-9]{4}$/)) }),
    query: z.object({ dryRun: z.optional(z.enum(['true', 'false'])) }),
    body: z.object({
      name: z.string().check(z.minLength(1), z.maxLength(10)),
      size: z.number().check(z.int(), z.positive()),
    }),
  },
  responses: { 201: { description: 'created' } },
});

const originSecret = testOriginSecret;
mockOriginSecret();
const { handler: catalogue } = await import('../../functions/api-catalogue.ts');

let behaviour: 'ok' | 'crash' | 'conflict' = 'ok';
let seenHeaders: Readonly<Record<string, string | undefined>> = {};
const router = httpRouter(
  [
    bind(
      createThing,
      async ({ params, body, caller, query, headers }) => {
        seenHeaders = headers;
        if (behaviour === 'crash') throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
        if (behaviour === 'conflict') throw new ConflictError('That thing exists already.');
        return {
          statusCode: 201,
          body: { thingId: params.thingId, ...body, owner: caller.userId, dryRun: query.dryRun },
        };
      },
      { maxBodyBytes: 200 },
    ),
  ],
  { originSecret },
);

function request(body: string | undefined, overrides: Parameters<typeof apiEvent>[0] = {}) {
  return apiEvent({
    method: 'POST',
    path: '/api/things/AB12',
    routeKey: 'POST /api/things/{thingId}',
    body,
    headers: { 'content-type': 'application/json' },
    pathParameters: { thingId: 'AB12' },
    claims: { sub: 'user-1' },
    ...overrides,
  });
}

/** Calls the function as CloudFront does, with the origin header, unless `direct` (straight to execute-api). */
async function call(event: ReturnType<typeof apiEvent>, fn = router, options: { direct?: boolean } = {}) {
  if (!options.direct) viaCloudFront(event);
  const result = (await fn(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
}

describe('HTTP stack', () => {
  it('answers a valid request with the caller taken from the verified claims', async () => {
    behaviour = 'ok';
    const res = await call(request('{"name":"lamp","size":3}'));
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ thingId: 'AB12', name: 'lamp', size: 3, owner: 'user-1' });
    expect(res.headers?.['content-type']).toBe('application/json; charset=utf-8');
  });

  it('adds security headers to answers', async () => {
    const res = await call(request('{"name":"lamp","size":3}'));
    expect(res.headers?.['X-Content-Type-Options'] ?? res.headers?.['x-content-type-options']).toBe(
      'nosniff',
    );
    expect(res.headers?.['Strict-Transport-Security'] ?? res.headers?.['strict-transport-security']).toMatch(
      /max-age/,
    );
  });

  it('rejects a broken JSON body with 400 INVALID_JSON', async () => {
    const res = await call(request('{"name": "lamp",'));
    expect(res.statusCode).toBe(400);
    expect(res.json.error.code).toBe('INVALID_JSON');
    expect(res.json.requestId).toBe('JdXyIjG8oAMEPGR=');
  });

  it('rejects a body sent as something other than JSON with 415', async () => {
    const res = await call(request('name=lamp', { headers: { 'content-type': 'text/plain' } }));
    expect(res.statusCode).toBe(415);
    expect(res.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a failed schema with 400 VALIDATION_FAILED and names every bad field', async () => {
    const res = await call(
      request('{"name":"","size":-1}', {
        pathParameters: { thingId: 'nope' },
        queryStringParameters: { dryRun: 'maybe' },
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    const fields = res.json.error.details.map((d: { in: string; field: string }) => `${d.in}:${d.field}`);
    expect(fields).toEqual(
      expect.arrayContaining(['params:thingId', 'query:dryRun', 'body:name', 'body:size']),
    );
    expect(res.json.error.message).toMatch(/name/);
  });

  it('rejects a missing body with 400 VALIDATION_FAILED', async () => {
    const res = await call(request(undefined));
    expect(res.statusCode).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('rejects an oversized body with 413 PAYLOAD_TOO_LARGE before parsing it', async () => {
    const res = await call(request(JSON.stringify({ name: 'x'.repeat(300), size: 1 })));
    expect(res.statusCode).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('turns a typed error into its status and code', async () => {
    behaviour = 'conflict';
    const res = await call(request('{"name":"lamp","size":3}'));
    expect(res.statusCode).toBe(409);
    expect(res.json).toEqual({
      error: { code: 'CONFLICT', message: 'That thing exists already.' },
      requestId: 'JdXyIjG8oAMEPGR=',
    });
  });

  it('answers an unexpected error with 500 INTERNAL and no internals', async () => {
    behaviour = 'crash';
    const res = await call(request('{"name":"lamp","size":3}'));
    expect(res.statusCode).toBe(500);
    expect(res.json.error.code).toBe('INTERNAL');
    expect(res.json.requestId).toBe('JdXyIjG8oAMEPGR=');
    expect(res.body).not.toMatch(/ECONNREFUSED|hunter2|at .*\.ts/);
  });

  it('refuses a protected route without authorizer claims with 401', async () => {
    behaviour = 'ok';
    const event = request('{"name":"lamp","size":3}');
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
    const res = await call(event);
    expect(res.statusCode).toBe(401);
    expect(res.json.error.code).toBe('UNAUTHENTICATED');
  });

  describe('only access tokens authorise', () => {
    const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example1';
    // As API Gateway hands claims to the function: every value a string.
    const idTokenClaims = {
      sub: 'user-1',
      aud: '4example1client2id3',
      token_use: 'id',
      'cognito:username': 'user-1',
      email: 'ada@example.com',
      email_verified: 'true',
      auth_time: '1795337400',
      iat: '1795337400',
      exp: '1795341000',
      iss: issuer,
    };
    const accessTokenClaims = {
      sub: 'user-1',
      client_id: '4example1client2id3',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: 'user-1',
      auth_time: '1795337400',
      iat: '1795337400',
      exp: '1795341000',
      iss: issuer,
    };
    let runs = 0;
    const guarded = httpRouter(
      [
        bind(createThing, async ({ caller }) => {
          runs += 1;
          return { statusCode: 201, body: { owner: caller.userId, issuedAt: caller.tokenIssuedAt } };
        }),
      ],
      { originSecret },
    );
    const withClaims = (claims: Record<string, string>, scopes: string[] | null) => {
      const event = request('{"name":"lamp","size":3}');
      (event.requestContext as unknown as { authorizer: unknown }).authorizer = { jwt: { claims, scopes } };
      return event;
    };

    it('refuses an ID token’s claims with 401 in the error format, before the handler runs', async () => {
      runs = 0;
      const res = await call(withClaims(idTokenClaims, null), guarded);
      expect(res.statusCode).toBe(401);
      expect(res.json).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'An access token is required; this is an ID token.' },
        requestId: 'JdXyIjG8oAMEPGR=',
      });
      expect(runs).toBe(0);
    });

    it('refuses claims that name no token use with 401', async () => {
      runs = 0;
      const { token_use: _use, ...claims } = accessTokenClaims;
      const res = await call(withClaims(claims, ['aws.cognito.signin.user.admin']), guarded);
      expect([res.statusCode, res.json.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      expect(runs).toBe(0);
    });

    it('reads the body before the token, and the token before the fields', async () => {
      runs = 0;
      const broken = withClaims(idTokenClaims, null);
      broken.body = '{"name":';
      expect((await call(broken, guarded)).json.error.code).toBe('INVALID_JSON');
      const tooLarge = withClaims(idTokenClaims, null);
      tooLarge.body = JSON.stringify({ name: 'x'.repeat(7 * 1024 * 1024), size: 1 });
      expect((await call(tooLarge, guarded)).json.error.code).toBe('PAYLOAD_TOO_LARGE');
      const invalid = withClaims(idTokenClaims, null);
      invalid.body = '{"name":"","size":-1}';
      expect((await call(invalid, guarded)).statusCode).toBe(401);
      expect(runs).toBe(0);
    });

    it('runs the sign-out check on the verified caller before validating the fields', async () => {
      const checked: string[] = [];
      const signedOut = httpRouter([bind(createThing, async () => ({ statusCode: 201 }))], {
        originSecret,
        guardCaller: async (caller) => {
          checked.push(caller.userId);
          throw new UnauthenticatedError('This session has been signed out; log in again.');
        },
      });
      const invalid = withClaims(accessTokenClaims, ['aws.cognito.signin.user.admin']);
      invalid.body = '{"name":"","size":-1}';
      const res = await call(invalid, signedOut);
      expect([res.statusCode, res.json.error.message]).toEqual([
        401,
        'This session has been signed out; log in again.',
      ]);
      expect(checked).toEqual(['user-1']);
    });

    it('passes an access token’s claims, with the caller taken from them', async () => {
      runs = 0;
      const res = await call(withClaims(accessTokenClaims, ['aws.cognito.signin.user.admin']), guarded);
      expect(res.statusCode).toBe(201);
      expect(res.json).toEqual({ owner: 'user-1', issuedAt: 1795337400 });
      expect(runs).toBe(1);
    });
  });

  it('answers a route key the function does not serve with 404 NOT_FOUND', async () => {
    const res = await call(apiEvent({ method: 'GET', path: '/api/nowhere', routeKey: 'GET /api/nowhere' }));
    expect(res.statusCode).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
  });
});

describe('HTTP stack: only through CloudFront', () => {
  it('refuses a request straight to execute-api (no origin header) with 403 in the error format, before the handler runs', async () => {
    behaviour = 'ok';
    seenHeaders = {};
    const res = await call(request('{"name":"lamp","size":3}'), router, { direct: true });
    expect(res.statusCode).toBe(403);
    expect(res.json.error.code).toBe('FORBIDDEN');
    expect(res.json.error.message).toMatch(/site's own address/);
    expect(res.json.requestId).toBeTruthy();
    expect(seenHeaders).toEqual({});
  });

  it('refuses a wrong origin header with 403 and never echoes it', async () => {
    const event = request('{"name":"lamp","size":3}', {
      headers: { 'content-type': 'application/json', [originVerifyHeader]: 'guessed' },
    });
    const res = await call(event, router, { direct: true });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('guessed');
  });

  it('passes a request from CloudFront on without the secret header', async () => {
    const res = await call(request('{"name":"lamp","size":3}'));
    expect(res.statusCode).toBe(201);
    expect(seenHeaders['content-type']).toBe('application/json');
    expect(seenHeaders[originVerifyHeader]).toBeUndefined();
  });

  it('guards a deployed function too: the catalogue refuses GET /api/health without the header', async () => {
    const res = await call(apiEvent(), catalogue, { direct: true });
    expect([res.statusCode, res.json.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

/** A request API Gateway sends to the `ANY /api/{proxy+}` catch-all: no route takes it. */
const unrouted = (method: string, path: string) =>
  apiEvent({
    method,
    path,
    routeKey: 'ANY /api/{proxy+}',
    pathParameters: { proxy: path.replace(/^\/api\//, '') },
  });

describe('catalogue function', () => {
  it('answers GET /api/health with 200 {"status":"ok"}', async () => {
    const res = await call(apiEvent(), catalogue);
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('answers an unknown path under /api with 404 in the error format', async () => {
    const res = await call(unrouted('GET', '/api/no-such-thing'), catalogue);
    expect(res.statusCode).toBe(404);
    expect(res.json.error).toEqual({ code: 'NOT_FOUND', message: 'No route GET /api/no-such-thing.' });
  });

  it('serves an OpenAPI 3.1 document listing every route of the table', async () => {
    const res = await call(apiEvent({ method: 'GET', path: '/api/openapi.json' }), catalogue);
    expect(res.statusCode).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.paths['/api/health'].get.operationId).toBe('getHealth');
    expect(res.json.components.schemas.Error).toBeDefined();
  });

  it('serves the document the route table’s schemas make, with the configured settings', async () => {
    const res = await call(apiEvent({ method: 'GET', path: '/api/openapi.json' }), catalogue);
    const settings = generationSettings(loadConfig(functionConfig['api-catalogue']));
    const expected = openApiDocument(routeList, process.env.EASEL_VERSION ?? '0.1.0', {
      styles: styles.map((style) => style.id),
      sizes: settings.sizes,
      qualities: settings.qualities,
      maxImagesPerRequest: settings.maxImagesPerRequest,
    });
    expect(res.body).toBe(JSON.stringify(expected));
  });

  it('answers 405 with Allow for a known path asked with another method', async () => {
    const res = await call(unrouted('PUT', '/api/images/01JD4X8Q2N3V5W7Y9Z0A1B2C3D'), catalogue);
    expect(res.statusCode).toBe(405);
    expect(res.headers?.allow).toBe('PATCH, GET, DELETE');
  });
});

const uploadThing = defineRoute({
  operationId: 'uploadThing',
  method: 'POST',
  path: '/api/things',
  function: 'test',
  auth: 'user',
  summary: 'test route with a multipart body',
  tags: ['test'],
  request: {
    body: z.strictObject({ name: z.string(), data: z.string() }),
    multipartBody: z.object({ name: z.string(), data: FileField }),
  },
  responses: { 201: { description: 'created' } },
});

const uploads = httpRouter(
  [
    bind(uploadThing, async ({ body }) => ({
      statusCode: 201,
      body: { name: body.name, bytes: typeof body.data === 'string' ? body.data.length : body.data.length },
    })),
  ],
  { originSecret },
);

async function multipartEvent(form: FormData, options: { truncate?: number } = {}) {
  const request = new Request('http://x/', { method: 'POST', body: form });
  let bytes = Buffer.from(await request.arrayBuffer());
  if (options.truncate) bytes = bytes.subarray(0, bytes.length - options.truncate);
  const event = apiEvent({
    method: 'POST',
    path: '/api/things',
    routeKey: 'POST /api/things',
    headers: { 'content-type': request.headers.get('content-type')! },
    claims: { sub: 'user-1' },
    body: bytes.toString('base64'),
  });
  event.isBase64Encoded = true;
  return event;
}

function thingForm(...files: number[]) {
  const form = new FormData();
  form.append('name', 'lamp');
  for (const size of files) form.append('data', new Blob([new Uint8Array(size).fill(200)]), 'lamp.bin');
  return form;
}

describe('HTTP stack: multipart bodies', () => {
  it('parses a base64-encoded multipart body (as API Gateway sends binary types) with its file’s bytes', async () => {
    const res = await call(await multipartEvent(thingForm(300_000)), uploads);
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ name: 'lamp', bytes: 300_000 });
  });

  it('still takes JSON on the same route', async () => {
    const res = await call(
      apiEvent({
        method: 'POST',
        path: '/api/things',
        routeKey: 'POST /api/things',
        headers: { 'content-type': 'application/json' },
        claims: { sub: 'user-1' },
        body: '{"name":"lamp","data":"abc"}',
      }),
      uploads,
    );
    expect(res.json).toEqual({ name: 'lamp', bytes: 3 });
  });

  it('refuses a truncated form with 400 INVALID_MULTIPART, without an unhandled error', async () => {
    const res = await call(await multipartEvent(thingForm(1000), { truncate: 60 }), uploads);
    expect([res.statusCode, res.json.error.code]).toEqual([400, 'INVALID_MULTIPART']);
  });

  it('refuses a field sent twice, and a text where a file belongs, with 400 naming the field', async () => {
    const twice = await call(await multipartEvent(thingForm(10, 10)), uploads);
    expect([twice.statusCode, twice.json.error.details[0].field]).toEqual([400, 'data']);
    const form = new FormData();
    form.append('name', 'lamp');
    form.append('data', 'not a file');
    const text = await call(await multipartEvent(form), uploads);
    expect([text.statusCode, text.json.error.code, text.json.error.details[0].field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'data',
    ]);
  });

  it('refuses a body that is neither JSON nor multipart with 415', async () => {
    const res = await call(
      apiEvent({
        method: 'POST',
        path: '/api/things',
        routeKey: 'POST /api/things',
        headers: { 'content-type': 'text/plain' },
        claims: { sub: 'user-1' },
        body: 'lamp',
      }),
      uploads,
    );
    expect([res.statusCode, res.json.error.message]).toEqual([
      415,
      'The request body must be JSON or multipart/form-data.',
    ]);
  });

  it('documents the multipart body in the OpenAPI document, files as binary', async () => {
    const res = await call(apiEvent({ method: 'GET', path: '/api/openapi.json' }), catalogue);
    const content = res.json.paths['/api/images'].post.requestBody.content;
    expect(Object.keys(content)).toEqual(['application/json', 'multipart/form-data']);
    const form = content['multipart/form-data'].schema;
    const properties = form.$ref
      ? res.json.components.schemas[form.$ref.split('/').at(-1)].properties
      : form.properties;
    expect(properties.image).toEqual({ type: 'string', format: 'binary' });
  });
});

describe('authentication by route', () => {
  const listThings = (auth: 'optional' | 'public') =>
    defineRoute({
      operationId: `list${auth}Things`,
      method: 'GET',
      path: `/api/${auth}/things`,
      function: 'test',
      auth,
      summary: 'test route',
      tags: ['test'],
      request: { query: z.object({ limit: z.optional(z.coerce.number().check(z.int(), z.positive())) }) },
      responses: { 200: { description: 'the things' } },
    });
  const resolved: (string | undefined)[] = [];
  const guarded: string[] = [];
  const router = httpRouter(
    [listThings('optional'), listThings('public')].map((route) =>
      bind(route, async ({ caller }) => ({ statusCode: 200, body: { viewer: caller?.userId ?? null } })),
    ),
    {
      originSecret,
      resolveOptionalCaller: async (event) => {
        const header = event.headers?.authorization;
        resolved.push(header);
        if (!header) return undefined;
        if (header !== 'Bearer good')
          throw new UnauthenticatedError('The access token is invalid or has expired.');
        return { userId: 'user-1', username: 'ada', tokenIssuedAt: 1, accessToken: 'good' };
      },
      guardCaller: async (caller) => {
        guarded.push(caller.userId);
        return caller;
      },
    },
  );
  const get = (
    auth: 'optional' | 'public',
    headers: Record<string, string> = {},
    query?: Record<string, string>,
  ) =>
    call(
      apiEvent({
        method: 'GET',
        path: `/api/${auth}/things`,
        routeKey: `GET /api/${auth}/things`,
        headers,
        queryStringParameters: query,
      }),
      router,
    );

  it('takes an optional route’s caller from its bearer token, and runs the sign-out check on it', async () => {
    resolved.length = 0;
    guarded.length = 0;
    const res = await get('optional', { authorization: 'Bearer good' });
    expect([res.statusCode, res.json]).toEqual([200, { viewer: 'user-1' }]);
    expect(guarded).toEqual(['user-1']);
  });

  it('answers an optional route without a token anonymously', async () => {
    guarded.length = 0;
    const res = await get('optional');
    expect([res.statusCode, res.json]).toEqual([200, { viewer: null }]);
    expect(guarded).toEqual([]);
  });

  it('refuses a bad token on an optional route with 401, even when its query is bad too', async () => {
    const res = await get('optional', { authorization: 'Bearer junk' }, { limit: '-3' });
    expect([res.statusCode, res.json.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('never looks at a token on a public route', async () => {
    resolved.length = 0;
    guarded.length = 0;
    const res = await get('public', { authorization: 'Bearer junk' });
    expect([res.statusCode, res.json]).toEqual([200, { viewer: null }]);
    expect([resolved, guarded]).toEqual([[], []]);
  });
});
