import { PublicConfig, StyleList } from '../../schemas/catalogue.ts';
import { ErrorBody, HealthResponse, OpenApiDocument } from '../../schemas/common.ts';
import { sharedCaches } from '../cache-control.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';

/**
 * The routes api-catalogue serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  getHealth: defineRoute({
    operationId: 'getHealth',
    method: 'GET',
    path: '/api/health',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'Liveness check',
    tags: ['catalogue'],
    responses: { 200: { description: 'The API is up', schema: HealthResponse } },
  }),
  getOpenApi: defineRoute({
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/api/openapi.json',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['catalogue'],
    responses: { 200: { description: 'The OpenAPI document', schema: OpenApiDocument } },
    cache: sharedCaches.deployment,
  }),
  getApiDocs: defineRoute({
    operationId: 'getApiDocs',
    method: 'GET',
    path: '/api/docs',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'This API’s reference, rendered for people (an HTML page)',
    tags: ['catalogue'],
    responses: { 200: { description: 'An HTML page rendering /api/openapi.json', contentType: 'text/html' } },
  }),
  getStyles: defineRoute({
    operationId: 'getStyles',
    method: 'GET',
    path: '/api/styles',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'The visual styles a generation can use',
    tags: ['catalogue'],
    responses: { 200: { description: 'The styles', schema: StyleList } },
    cache: sharedCaches.deployment,
  }),
  getConfig: defineRoute({
    operationId: 'getConfig',
    method: 'GET',
    path: '/api/config',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'The settings a client needs: sizes, qualities, limits, quota',
    tags: ['catalogue'],
    responses: { 200: { description: 'The settings', schema: PublicConfig } },
    cache: sharedCaches.deployment,
  }),
  notFound: defineRoute({
    operationId: 'notFound',
    method: 'ANY',
    path: '/api/{proxy+}',
    function: 'api-catalogue',
    auth: 'public',
    summary:
      'Any path under /api that no other route serves: 404 in the error format, or 405 with Allow when the path takes other methods',
    tags: ['catalogue'],
    responses: {
      404: { description: 'No such route', schema: ErrorBody },
      405: {
        description: '`METHOD_NOT_ALLOWED`: the path takes other methods, listed in Allow',
        schema: ErrorBody,
      },
    },
  }),
  // Shared links (`/s/<imageId>`) take GET only; any other method is told so, as under /api.
  sharedLinkOtherMethods: defineRoute({
    operationId: 'sharedLinkOtherMethods',
    method: 'ANY',
    path: '/s/{proxy+}',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'Any other method or path under /s: 404 in the error format, or 405 with Allow',
    tags: ['catalogue'],
    responses: {
      404: { description: 'No such route', schema: ErrorBody },
      405: {
        description: '`METHOD_NOT_ALLOWED`: the path takes other methods, listed in Allow',
        schema: ErrorBody,
      },
    },
  }),
} satisfies Record<string, RouteDefinition>;
