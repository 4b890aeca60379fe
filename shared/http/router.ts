import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { NotFoundError } from '../errors.ts';
import { errorResponse } from './error-handler.ts';
import {
  type HttpRouteHandler,
  type HttpRouteOptions,
  httpRoute,
  type RouteImplementation,
} from './handler.ts';
import { type RouteDefinition, routeKey } from './route.ts';

export interface BoundRoute {
  readonly route: RouteDefinition;
  readonly implementation: RouteImplementation<never>;
  readonly options?: HttpRouteOptions;
}

export function bind<const R extends RouteDefinition>(
  route: R,
  implementation: RouteImplementation<R>,
  options?: HttpRouteOptions,
): BoundRoute {
  return { route, implementation: implementation as RouteImplementation<never>, options };
}

/** A deployed function's routes always check the origin secret (see shared/http/origin-verify.ts). */
export type HttpRouterOptions = HttpRouteOptions & { readonly originSecret: string };

/**
 * One Lambda serves a group of routes; API Gateway tells which in `event.routeKey`.
 * A key the function does not serve is answered 404 in the API's error format.
 */
export function httpRouter(bound: readonly BoundRoute[], options: HttpRouterOptions) {
  const byKey = new Map<string, HttpRouteHandler>(
    bound.map((entry) => [
      routeKey(entry.route),
      httpRoute(entry.route, entry.implementation, { ...options, ...entry.options }),
    ]),
  );
  return async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const handler = byKey.get(event.routeKey);
    if (!handler) {
      return errorResponse(
        new NotFoundError(`No route ${event.requestContext?.http?.method ?? ''} ${event.rawPath ?? ''}.`),
        event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown',
      );
    }
    return handler(event, context);
  };
}
