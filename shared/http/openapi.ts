import * as z from 'zod/mini';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { ErrorBody, GatewayRefusal } from '../schemas/common.ts';
import { type DocumentSettings, type OpenApiJson, servedDocument } from './openapi-served.ts';
import type { RouteDefinition } from './route.ts';

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

/**
 * The part of the OpenAPI 3.1 document that comes from the routes' zod schemas: everything but
 * the version, the configured settings (fields still carry their `fromConfig` marks) and the
 * examples. api-catalogue serves it from shared/http/openapi-schema-document.ts, written from
 * this at build time, so that it carries neither zod-openapi nor every route's schemas.
 */
export function schemaDocument(routes: readonly RouteDefinition[]): OpenApiJson {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    if (route.method === 'ANY') continue;
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    paths[route.path] = { ...paths[route.path], [method]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Easel API',
      version: '0.0.0',
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
}

/** The OpenAPI 3.1 document of the given routes, as api-catalogue serves it. */
export function openApiDocument(
  routes: readonly RouteDefinition[],
  version: string,
  settings: DocumentSettings,
): OpenApiJson {
  return servedDocument(schemaDocument(routes), version, settings);
}
