import { PublicConfig, StyleList } from '../../schemas/catalogue.ts';
import { ErrorBody, HealthResponse } from '../../schemas/common.ts';
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
    responses: { 200: { description: 'The OpenAPI document' } },
    cache: sharedCaches.deployment,
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
    summary: 'Any path under /api that no other route serves: 404 in the error format',
    tags: ['catalogue'],
    responses: { 404: { description: 'No such route', schema: ErrorBody } },
  }),
} satisfies Record<string, RouteDefinition>;
