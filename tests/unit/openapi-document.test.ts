import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { resultHeaders } from '../../scripts/local-runtime/http-server.ts';
import { styles } from '../../shared/domain/catalogue/styles.ts';
import { allowedMethods } from '../../shared/http/allowed-methods.ts';
import { errorResponse } from '../../shared/http/error-handler.ts';
import { MethodNotAllowedError } from '../../shared/http/http-errors.ts';
import { derivedErrors, openApiDocument, schemaDocument } from '../../shared/http/openapi.ts';
import { schemaDocumentEncoded } from '../../shared/http/openapi-schema-document.ts';
import { decodeSchemaDocument, servedDocument } from '../../shared/http/openapi-served.ts';
import { routeList, routes } from '../../shared/http/routes.ts';
import { describeViolations, responseValidator } from '../support/openapi-responses.ts';

/** The document as plain JSON, read by path in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: the generated document is untyped JSON walked in assertions.
type Loose = any;

const settings = {
  styles: styles.map((style) => style.id),
  sizes: ['1024x1024', '1536x1024'],
  qualities: ['low', 'high'],
  maxImagesPerRequest: 4,
};
const document = openApiDocument(routeList, 'test', settings) as Record<string, Loose>;
const operations = Object.entries(document.paths as Record<string, Record<string, Loose>>).flatMap(
  ([pathName, item]) => Object.entries(item).map(([method, op]) => ({ path: pathName, method, op })),
);
const byId = new Map(operations.map((entry) => [entry.op.operationId as string, entry]));
const schemas = document.components.schemas as Record<string, Loose>;
const responsesOf = (operationId: string) => byId.get(operationId)!.op.responses as Record<string, Loose>;

const ajv = new Ajv2020({ strict: false });
addFormats.default(ajv);
for (const format of ['password', 'binary', 'byte']) ajv.addFormat(format, true);
ajv.addSchema({ $id: 'doc', components: document.components });
const validatorOf = (schema: unknown) =>
  ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')));

describe('the document api-catalogue ships', () => {
  it('is what the route table’s schemas make now (npm run generate writes it again)', () => {
    expect(JSON.stringify(decodeSchemaDocument(schemaDocumentEncoded))).toBe(
      JSON.stringify(schemaDocument(routeList)),
    );
  });

  it('is served with the version, the settings and the examples, leaving the shipped part as it was', () => {
    const shipped = decodeSchemaDocument(schemaDocumentEncoded);
    const before = JSON.stringify(shipped);
    const served = servedDocument(shipped, 'test', settings);
    expect(JSON.stringify(served)).toBe(JSON.stringify(document));
    expect(JSON.stringify(shipped)).toBe(before);
    expect(before).toContain('"fromConfig"');
    expect(JSON.stringify(served)).not.toContain('"fromConfig"');
  });
});

describe('the OpenAPI document lists every answer a route can give', () => {
  it('documents the statuses an outside fuzzer found the code returning', () => {
    for (const id of [
      'patchCharacter',
      'deleteCharacter',
      'createPortrait',
      'patchImage',
      'shareImage',
      'unshareImage',
      'listComments',
      'addComment',
      'editComment',
      'deleteComment',
    ]) {
      expect(responsesOf(id), id).toHaveProperty('404');
    }
    expect(responsesOf('createPortrait')).toHaveProperty('429');
    expect(responsesOf('shareImage')).toHaveProperty('409');
    expect(responsesOf('refresh')).toHaveProperty('401');
  });

  it('derives the common errors from each route: auth 401, looked-up ids 404, bodies 400/413/415, write rates 429 with Retry-After', () => {
    for (const route of routeList.filter((r) => r.method !== 'ANY')) {
      const responses = responsesOf(route.operationId);
      const statuses = Object.keys(responses);
      expect(statuses, route.operationId).toEqual(expect.arrayContaining(['403', '500', '503']));
      if (route.auth !== 'public') expect(statuses, route.operationId).toContain('401');
      if (route.request?.params) expect(statuses, route.operationId).toContain('404');
      if (route.request?.body) {
        expect(statuses, route.operationId).toEqual(expect.arrayContaining(['400', '413', '415']));
      }
      if (route.writeRate) {
        expect(responses['429']?.headers?.['Retry-After'], route.operationId).toBeDefined();
      }
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        // A page for people (a link preview's 404) is the route's own HTML, not the error body.
        if (route.responses[Number(status)]?.contentType) continue;
        if (status === '401' && route.auth === 'user') {
          expect(responses[status].content['application/json'].schema.anyOf).toEqual([
            { $ref: '#/components/schemas/Error' },
            { $ref: '#/components/schemas/GatewayRefusal' },
          ]);
          continue;
        }
        expect(
          responses[status].content?.['application/json']?.schema,
          `${route.operationId} ${status}`,
        ).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('keeps a route’s own words for a status over the derived ones', () => {
    expect(derivedErrors(routes.getCharacter)[404]).toBeDefined();
    expect(responsesOf('getCharacter')['404'].description).toBe('No such character of mine');
  });

  it('declares the write rate of every route whose handler takes one, and no other', () => {
    const functionsDir = path.resolve(import.meta.dirname, '../../functions');
    const taken = new Map<string, string>();
    for (const file of readdirSync(functionsDir).filter((name) => name.startsWith('api-'))) {
      const source = readFileSync(path.join(functionsDir, file), 'utf8');
      for (const part of source.split(/\bbind\(/).slice(1)) {
        const route = /^\s*routes\.(\w+)/.exec(part)?.[1];
        const kind = /writes\.take\([^,]+,\s*'(\w+)'\)/.exec(part)?.[1];
        if (route && kind) taken.set(route, kind);
      }
    }
    expect(taken.size).toBeGreaterThan(5);
    const declared = new Map(
      Object.entries(routes)
        .filter(([, route]) => 'writeRate' in route && route.writeRate)
        .map(([id, route]) => [id, (route as { writeRate: string }).writeRate]),
    );
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(taken));
  });
});

describe('the request schemas say what the server checks', () => {
  it('marks e-mail fields as format email', () => {
    for (const name of ['SignupRequest', 'LoginRequest', 'EmailRequest', 'ResetPasswordRequest']) {
      expect(schemas[name].properties.email.format, name).toBe('email');
    }
  });

  it('takes n’s maximum and the enums of style, size and quality from the configuration', () => {
    const generation = schemas.CreateGenerationRequest.properties;
    expect(generation.n.maximum).toBe(4);
    expect(generation.style.enum).toEqual(settings.styles);
    expect(generation.size.enum).toEqual(settings.sizes);
    expect(generation.quality.enum).toEqual(settings.qualities);
    expect(schemas.CreateEditRequest.properties.n.maximum).toBe(4);
    expect(schemas.CreateEditRequest.properties.size.enum).toEqual([...settings.sizes, 'auto']);
    const other = openApiDocument(routeList, 'test', { ...settings, maxImagesPerRequest: 2 }) as Loose;
    expect(other.components.schemas.CreateGenerationRequest.properties.n.maximum).toBe(2);
    expect(JSON.stringify(document)).not.toContain('fromConfig');
  });

  it('refuses an empty or blank prompt or comment in the schema, as the server does', () => {
    const prompt = validatorOf(schemas.CreateGenerationRequest.properties.prompt);
    expect(schemas.CreateGenerationRequest.properties.prompt.minLength).toBe(1);
    expect(prompt('')).toBe(false);
    expect(prompt('   \n ')).toBe(false);
    expect(prompt('a fox\nin snow')).toBe(true);
    expect(prompt('a fox\u0007')).toBe(false);
    const text = validatorOf(schemas.CommentText.properties.text);
    expect(text('')).toBe(false);
    expect(text('nice')).toBe(true);
  });

  it('states that an edit takes exactly one of imageId or uploadId', () => {
    const edit = validatorOf({ $ref: '#/components/schemas/CreateEditRequest' });
    expect(edit({ prompt: 'x', imageId: 'a' })).toBe(true);
    expect(edit({ prompt: 'x', uploadId: 'a' })).toBe(true);
    expect(edit({ prompt: 'x', imageId: 'a', uploadId: 'b' })).toBe(false);
    expect(edit({ prompt: 'x' })).toBe(false);
  });
});

describe('examples and links', () => {
  it('gives every operation an example of its request body and its success answer, each valid', () => {
    for (const route of routeList.filter((r) => r.method !== 'ANY')) {
      const { op } = byId.get(route.operationId)!;
      const body = op.requestBody?.content?.['application/json'];
      if (route.request?.body) {
        expect(body?.example, route.operationId).toBeDefined();
        const parsed = route.request.body.safeParse(body.example);
        expect(parsed.success, `${route.operationId}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
      // A redirect (a download's 302) is the operation's success answer too.
      const success = Object.entries(op.responses as Record<string, Loose>).filter(
        ([s]) => s.startsWith('2') || s === '302',
      );
      expect(success.length, route.operationId).toBeGreaterThan(0);
      for (const [status, answer] of success) {
        const json = answer.content?.['application/json'];
        if (!json) continue;
        expect(json.example, `${route.operationId} ${status}`).toBeDefined();
        const validate = validatorOf(json.schema);
        expect(
          validate(json.example),
          `${route.operationId} ${status}: ${ajv.errorsText(validate.errors)}`,
        ).toBe(true);
      }
    }
  });

  it('links created resources to their reads, each link naming a real operation and its path parameters', () => {
    const linkTargets = (id: string) =>
      Object.values(responsesOf(id)).flatMap((answer: Loose) =>
        Object.values(answer.links ?? {}).map((link: Loose) => link.operationId),
      );
    expect(linkTargets('createGeneration')).toContain('getJob');
    expect(linkTargets('createEdit')).toContain('getJob');
    expect(linkTargets('getJob')).toContain('getImage');
    expect(linkTargets('createCharacter')).toEqual(
      expect.arrayContaining(['getCharacter', 'deleteCharacter']),
    );
    expect(linkTargets('addComment')).toEqual(expect.arrayContaining(['listComments', 'editComment']));
    for (const { op } of operations) {
      for (const answer of Object.values(op.responses as Record<string, Loose>)) {
        for (const link of Object.values((answer.links ?? {}) as Record<string, Loose>)) {
          const target = byId.get(link.operationId);
          expect(target, link.operationId).toBeDefined();
          const pathParams = [...target!.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
          expect(Object.keys(link.parameters).sort(), `${op.operationId} → ${link.operationId}`).toEqual(
            pathParams.sort(),
          );
        }
      }
    }
  });
});

describe('405 for a known path asked with another method', () => {
  it('finds the methods the route table declares for a concrete path', () => {
    expect(allowedMethods(routeList, '/api/images/01JD4X8Q2N3V5W7Y9Z0A1B2C3D').sort()).toEqual([
      'DELETE',
      'GET',
      'PATCH',
    ]);
    expect(allowedMethods(routeList, '/api/health')).toEqual(['GET']);
    expect(allowedMethods(routeList, '/api/characters/options')).toEqual(['GET']);
    expect(allowedMethods(routeList, '/api/nothing/here')).toEqual([]);
  });

  it('answers in the API error format with Allow', () => {
    const result = errorResponse(new MethodNotAllowedError('PUT', '/api/health', ['GET']), 'req-1');
    expect(result.statusCode).toBe(405);
    expect(result.headers).toMatchObject({ allow: 'GET' });
    expect(JSON.parse(result.body!)).toMatchObject({
      error: { code: 'METHOD_NOT_ALLOWED' },
      requestId: 'req-1',
    });
  });

  it('is described in the document', () => {
    expect(document.info.description).toContain('405');
    expect(document.components.responses.MethodNotAllowed.headers.Allow).toBeDefined();
  });
});

describe('the local runtime turns a Lambda result into headers as API Gateway does', () => {
  it('drops headers middy unset (undefined or null) instead of sending the text "undefined"', () => {
    const headers = resultHeaders(
      {
        statusCode: 200,
        headers: {
          Server: undefined,
          'X-Powered-By': undefined,
          'X-Content-Type-Options': 'nosniff',
        } as never,
        body: '{}',
      },
      'req-1',
    );
    expect(headers).not.toHaveProperty('server');
    expect(headers).not.toHaveProperty('x-powered-by');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(Object.values(headers)).not.toContain('undefined');
  });
});

describe('the test tiers’ response validator', () => {
  const exchange = (method: string, path: string, status: number, body?: unknown, headers = {}) => ({
    method,
    path,
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const error = { error: { code: 'NOT_FOUND', message: 'Not found.' }, requestId: 'r' };

  it('passes what the document says and names the operation, status and first schema error of what it does not', () => {
    const validator = responseValidator(document);
    validator.check(exchange('GET', '/api/health', 200, { status: 'ok' }));
    validator.check(exchange('GET', '/api/jobs/J1', 404, error));
    validator.check(exchange('GET', '/api/health', 418, { status: 'ok' }));
    validator.check(exchange('GET', '/api/jobs/J1', 200, { jobId: 'J1', status: 'NOPE' }));
    validator.check(exchange('PUT', '/api/health', 405, error, { allow: 'GET' }));
    validator.check(exchange('PUT', '/api/jobs/J1', 405, error, { allow: 'GET, POST' }));
    validator.check(exchange('GET', '/api/no/such/thing', 404, error));
    const report = validator.report();
    expect(report.checked).toBe(7);
    expect(report.byOperation.getHealth).toBe(2);
    expect(report.violations).toEqual([
      expect.objectContaining({
        operation: 'getHealth',
        status: 418,
        problem: expect.stringContaining('not documented'),
      }),
      expect.objectContaining({
        operation: 'getJob',
        status: 200,
        problem: expect.stringContaining('does not match'),
      }),
      expect.objectContaining({ status: 405, problem: expect.stringContaining('Allow') }),
    ]);
    expect(describeViolations(report.violations)).toContain('getJob → 200: body does not match the schema');
  });
});
