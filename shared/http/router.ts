import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { NotFoundError } from '../errors.ts';
import { errorResponse } from './error-handler.ts';
import {
  type HttpRequest,
  type HttpRouteHandler,
  type HttpRouteOptions,
  httpRoute,
  type RouteImplementation,
} from './handler.ts';
import type { HttpResult, JsonResult } from './response.ts';
import { type RouteDefinition, routeKey } from './route.ts';

export interface BoundRoute {
  readonly route: RouteDefinition;
  readonly implementation: RouteImplementation<never>;
  readonly options?: HttpRouteOptions;
}

/** A body may hold read-only arrays and objects: it is only serialised. */
type Readable<T> = T extends readonly (infer U)[]
  ? readonly Readable<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Readable<T[K]> }
    : T;

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;
type DeclaredStatus<R extends RouteDefinition> = Extract<keyof R['responses'], number>;

/**
 * What the route may answer with one status it declares: for a success with a schema, the
 * body the schema takes (`z.input`, what the stack then serialises); no body for a 204 or
 * a success of another content type (a page of HTML, sent as `text`); any other status,
 * as it comes.
 */
type AnswerWith<Response, S extends number> = S extends 204
  ? HttpResult<S, undefined>
  : S extends SuccessStatus
    ? Response extends { readonly schema: infer Z extends z.ZodMiniType }
      ? JsonResult<S, Readable<z.input<Z>>>
      : Response extends { readonly contentType: string }
        ? HttpResult<S, undefined>
        : HttpResult<S>
    : HttpResult<S>;

/** Every answer a route's implementation may give: only statuses its `responses` declare. */
export type RouteAnswer<R extends RouteDefinition> = {
  [S in DeclaredStatus<R>]: AnswerWith<R['responses'][S], S>;
}[DeclaredStatus<R>];

/** A route's implementation, checked at compile time against the route's declared responses. */
export type TypedImplementation<R extends RouteDefinition> = (
  request: HttpRequest<R>,
) => Promise<RouteAnswer<R>>;

export function bind<const R extends RouteDefinition>(
  route: R,
  implementation: TypedImplementation<R>,
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
