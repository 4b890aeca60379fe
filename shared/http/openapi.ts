import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { ErrorBody } from '../schemas/common.ts';
import type { RouteDefinition } from './route.ts';

const errorContent = { 'application/json': { schema: ErrorBody } };

const commonErrors = {
  '400': { description: 'The request is malformed; `details` names each bad field', content: errorContent },
  '500': { description: 'Our fault; logged with the request id', content: errorContent },
};
const authErrors = { '401': { description: 'No, expired or invalid token', content: errorContent } };

function operation(route: RouteDefinition): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = { ...commonErrors };
  if (route.auth !== 'public') Object.assign(responses, authErrors);
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: response.description,
      ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
      ...(response.contentType
        ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
        : {}),
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, description]) => [
                name,
                { description, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
    };
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
              'application/json': { schema: body },
              ...(route.request?.multipartBody
                ? { 'multipart/form-data': { schema: route.request.multipartBody } }
                : {}),
              ...Object.fromEntries((route.request?.bodyContentTypes ?? []).map((type) => [type, {}])),
            },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the given routes, generated from their zod schemas. */
export function openApiDocument(routes: readonly RouteDefinition[], version: string) {
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
      version,
      description: 'Generate, edit, describe and share images. Errors use the `Error` schema.',
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
    },
    paths,
  });
}
