import { ErrorBody, HealthResponse } from '../schemas/common.ts';
import { defineRoute, type RouteDefinition } from './route.ts';

/**
 * Every HTTP route of Easel. The CDK app creates API Gateway routes and their Lambda
 * integrations from this list, the local runtime serves it, and the OpenAPI document
 * is generated from it.
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

export type RouteId = keyof typeof routes;

export const routeList: readonly RouteDefinition[] = Object.values(routes);

/** The Lambda functions that serve HTTP routes, each with the routes it serves. */
export function apiFunctions(): Map<string, RouteDefinition[]> {
  const byFunction = new Map<string, RouteDefinition[]>();
  for (const route of routeList) {
    const list = byFunction.get(route.function) ?? [];
    list.push(route);
    byFunction.set(route.function, list);
  }
  return byFunction;
}
