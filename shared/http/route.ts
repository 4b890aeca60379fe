import type { z } from 'zod/mini';
import type { WriteKind } from '../domain/limits.ts';
import type { SharedCache } from './cache-control.ts';

/** `ANY` only for the catch-all that answers unknown paths in the API's error format. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';

/**
 * - `public`: no token needed, none looked at.
 * - `optional`: no authorizer in API Gateway (an HTTP API authorizer cannot be optional);
 *   the handler verifies a bearer token itself when one is sent.
 * - `user`: the Cognito JWT authorizer guards the route; the handler refuses any token
 *   whose `token_use` is not `access` (an ID token passes the authorizer).
 */
export type RouteAuth = 'public' | 'optional' | 'user';

/** An OpenAPI link: where the answer leads, e.g. a created job to `getJob` by its `jobId`. */
export interface RouteLink {
  readonly operationId: string;
  /** Parameter name → runtime expression, e.g. `$response.body#/jobId`. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly description?: string;
}

export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodMiniType;
  /** A body that is not JSON (e.g. `text/html`), described in OpenAPI as a string of that type. */
  readonly contentType?: string;
  /** Response headers it carries, each with what it holds (e.g. a redirect's `Location`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly links?: Readonly<Record<string, RouteLink>>;
}

export interface RouteDefinition {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/api/images/{imageId}`. */
  readonly path: string;
  /** The Lambda serving the route: `functions/<function>.ts`. */
  readonly function: string;
  readonly auth: RouteAuth;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly request?: {
    readonly params?: z.ZodMiniObject;
    readonly query?: z.ZodMiniObject;
    readonly body?: z.ZodMiniType;
    /**
     * The body when it comes as `multipart/form-data` instead of JSON: text fields arrive as
     * strings, files as `MultipartFile` (see shared/schemas/fields.ts).
     */
    readonly multipartBody?: z.ZodMiniType;
    readonly headers?: z.ZodMiniObject;
    /** The body's example in the document, when the one made from its schema says too little. */
    readonly example?: unknown;
  };
  /**
   * The per-user write rate the route counts against (`writeRatesPerMinute`): past it, 429
   * `RATE_LIMITED` with `Retry-After`. Declared here for the document; the handler takes it.
   */
  readonly writeRate?: WriteKind;
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /**
   * A public read whose anonymous answers CloudFront may keep (shared/http/cache-control.ts).
   * Any answer to a request with a token or a cookie, and every other route's, is
   * `private, no-store`.
   */
  readonly cache?: SharedCache;
}

/** `GET /api/images/{imageId}`: the key API Gateway puts in `event.routeKey`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function defineRoute<const R extends RouteDefinition>(route: R): R {
  return route;
}
