import * as z from 'zod/mini';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { ErrorBody, GatewayRefusal } from '../schemas/common.ts';
import { sampleOf } from './openapi-examples.ts';
import type { RouteDefinition } from './route.ts';

/**
 * The settings that bound what a request may ask for. They are configuration, so the document
 * takes them from the same config the functions validate against: a field whose schema carries
 * `meta(…, { fromConfig: 'sizes' })` (or `qualities`, `styles`, `maxImagesPerRequest`) is given
 * the configured enum or maximum.
 */
export interface DocumentSettings {
  readonly styles: readonly string[];
  readonly sizes: readonly string[];
  readonly qualities: readonly string[];
  readonly maxImagesPerRequest: number;
}

const retryAfter = {
  'Retry-After': {
    description: 'Seconds until the request may be made again',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
} as const;

/** A `user` route's 401: the product's error, or API Gateway's authorizer's own answer in AWS. */
const refusedToken = z.union([ErrorBody, GatewayRefusal]);

type Status = `${1 | 2 | 3 | 4 | 5}${string}`;

/**
 * The error answers a route can give because of what it is, declared once: its validation,
 * its authorizer and session check, its path ids (each one looked up), its body parser and
 * size limit, its write rate, and the answers every route can give.
 */
export function derivedErrors(route: RouteDefinition): Record<number, string> {
  const request = route.request;
  const errors: Record<number, string> = {};
  if (request?.params || request?.query || request?.body || request?.headers) {
    errors[400] =
      'The request is malformed (`VALIDATION_FAILED`, `INVALID_JSON`, …); `details` names each bad field';
  }
  if (route.auth !== 'public') {
    errors[401] =
      route.auth === 'user'
        ? "`UNAUTHENTICATED`: no access token, or an expired, revoked or otherwise invalid one. In AWS, API Gateway's authorizer refuses a missing, expired or foreign token itself, with its own body (`GatewayRefusal`)"
        : '`UNAUTHENTICATED`: a token was sent and it is not a valid access token (send none to be anonymous)';
  }
  errors[403] = "`FORBIDDEN`: the request came around the site's address (`<site>/api`)";
  if (request?.params) {
    errors[404] = '`NOT_FOUND`: no such resource, or someone else’s private one';
  }
  if (request?.body) {
    errors[413] = '`PAYLOAD_TOO_LARGE`: the body is over the route’s limit';
    errors[415] = request.multipartBody
      ? '`UNSUPPORTED_MEDIA_TYPE`: the body is neither JSON nor multipart/form-data'
      : '`UNSUPPORTED_MEDIA_TYPE`: the body is not JSON';
  }
  if (route.writeRate) {
    errors[429] = `\`RATE_LIMITED\`: too many writes of this kind (${route.writeRate}) a minute, with Retry-After`;
  }
  errors[500] = '`INTERNAL`: our fault; logged with the request id';
  errors[503] = '`UPSTREAM_UNAVAILABLE`: a service Easel depends on is unavailable; try again shortly';
  return errors;
}

function response(
  description: string,
  schema: RouteDefinition['responses'][number]['schema'],
  status: number,
): ZodOpenApiResponseObject {
  return {
    description,
    ...(schema ? { content: { 'application/json': { schema } } } : {}),
    ...(status === 429 ? { headers: retryAfter } : {}),
    ...(status === 405
      ? {
          headers: {
            Allow: { description: 'The methods the path takes', required: true, schema: { type: 'string' } },
          },
        }
      : {}),
  } as ZodOpenApiResponseObject;
}

const otherCause = new Set([401, 403, 429]);

function operation(route: RouteDefinition): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = {};
  const declared = route.responses;
  const derived = derivedErrors(route);
  const statuses = [...new Set([...Object.keys(declared), ...Object.keys(derived)].map(Number))].sort(
    (a, b) => a - b,
  );
  for (const status of statuses) {
    const own = declared[status];
    // A route's own words win; where the derived answer has another cause (the origin check's 403,
    // the write rate's 429, the authorizer's 401), both are said.
    const description =
      own && derived[status] && otherCause.has(status)
        ? `${own.description}; or ${derived[status]}`
        : (own?.description ?? derived[status]!);
    const schema = own ? own.schema : status === 401 && route.auth === 'user' ? refusedToken : ErrorBody;
    const base = response(description, schema, status);
    responses[String(status) as Status] = {
      ...base,
      // A body that is not JSON (a link preview's HTML) is a string of its own type.
      ...(own?.contentType ? { content: { [own.contentType]: { schema: { type: 'string' } } } } : {}),
      ...(own?.headers
        ? {
            headers: {
              ...base.headers,
              ...Object.fromEntries(
                Object.entries(own.headers).map(([name, about]) => [
                  name,
                  { description: about, schema: { type: 'string' } },
                ]),
              ),
            },
          }
        : {}),
      ...(own?.links ? { links: own.links } : {}),
    } as ZodOpenApiResponseObject;
  }
  const body = route.request?.body;
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [...route.tags],
    ...(route.auth === 'user' ? { security: [{ bearer: [] }] } : {}),
    ...(route.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
    requestParams: {
      ...(route.request?.params ? { path: route.request.params } : {}),
      ...(route.request?.query ? { query: route.request.query } : {}),
      ...(route.request?.headers ? { header: route.request.headers } : {}),
    },
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: body,
                ...(route.request?.example === undefined ? {} : { example: route.request.example }),
              },
              ...(route.request?.multipartBody
                ? { 'multipart/form-data': { schema: route.request.multipartBody } }
                : {}),
            },
          },
        }
      : {}),
    responses,
  };
}

type Json = unknown;
type JsonObject = Record<string, Json>;
/** The document as JSON, with the fields every OpenAPI document has. */
type OpenApiJson = JsonObject & { openapi: string; info: JsonObject; paths: JsonObject };
const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Gives each field marked `fromConfig` its configured enum or maximum (see DocumentSettings). */
function applySettings(node: Json, settings: DocumentSettings): void {
  if (Array.isArray(node)) {
    for (const item of node) applySettings(item, settings);
    return;
  }
  if (!isObject(node)) return;
  const from = node.fromConfig;
  if (typeof from === 'string') {
    delete node.fromConfig;
    if (from === 'maxImagesPerRequest') node.maximum = settings.maxImagesPerRequest;
    else if (from === 'sizes' || from === 'qualities' || from === 'styles') {
      node.enum = [...settings[from]];
      delete node.maxLength;
    } else if (from === 'sizesOrAuto') {
      node.enum = [...settings.sizes, 'auto'];
      delete node.maxLength;
    }
  }
  for (const value of Object.values(node)) applySettings(value, settings);
}

/** An example for every request body and every answer with a body that has none of its own. */
function addExamples(document: JsonObject): void {
  const components = (isObject(document.components) ? document.components.schemas : {}) as JsonObject;
  for (const item of Object.values(document.paths as JsonObject)) {
    for (const op of Object.values(item as JsonObject)) {
      if (!isObject(op)) continue;
      const contents: [JsonObject, boolean][] = [];
      const bodyContent = (op.requestBody as JsonObject | undefined)?.content as JsonObject | undefined;
      if (isObject(bodyContent?.['application/json'])) contents.push([bodyContent['application/json'], true]);
      for (const answer of Object.values((op.responses ?? {}) as JsonObject)) {
        const json = ((answer as JsonObject).content as JsonObject | undefined)?.['application/json'];
        if (isObject(json)) contents.push([json, false]);
      }
      for (const [content, requiredOnly] of contents) {
        if (content.example === undefined && content.schema !== undefined) {
          content.example = sampleOf(content.schema, components, { requiredOnly });
        }
      }
    }
  }
}

/** The OpenAPI 3.1 document of the given routes, generated from their zod schemas. */
export function openApiDocument(
  routes: readonly RouteDefinition[],
  version: string,
  settings: DocumentSettings,
) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    if (route.method === 'ANY') continue;
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    paths[route.path] = { ...paths[route.path], [method]: operation(route) };
  }
  const document = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Easel API',
      version,
      description: [
        'Generate, edit, describe and share images. Errors use the `Error` schema.',
        '',
        'A path of this document asked with a method it does not list answers **405** `METHOD_NOT_ALLOWED` in the `Error` format, with an `Allow` header naming the methods it takes (`MethodNotAllowed` in the components); a path under `/api` that is not here answers **404** `NOT_FOUND`.',
      ].join('\n'),
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito access token',
        },
      },
      responses: {
        MethodNotAllowed: response(
          '`METHOD_NOT_ALLOWED`: the path does not take this method; `Allow` lists those it takes',
          ErrorBody,
          405,
        ),
      },
    },
    paths,
  }) as unknown as OpenApiJson;
  applySettings(document, settings);
  addExamples(document);
  return document;
}
