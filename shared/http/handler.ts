import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { z } from 'zod/mini';
import { bearerToken } from '../auth/bearer-token.ts';
import type { StoredProfile } from '../domain/accounts/ports.ts';
import { PayloadTooLargeError, UnauthenticatedError, UnsupportedMediaTypeError } from '../errors.ts';
import { correlationHeader, logger, pickCorrelationId } from '../logger.ts';
// zod's English messages, which plain-issues.ts reads.
import '../schemas/meta.ts';
import type { MultipartFile } from '../schemas/fields.ts';
import { tracer } from '../tracer.ts';
import { cacheControlOf, carriesCredentials } from './cache-control.ts';
import { errorHandler } from './error-handler.ts';
import { parseFormData } from './form-data.ts';
import { InvalidMultipartError, InvalidRequestError, type RequestErrorDetail } from './http-errors.ts';
import { originVerify } from './origin-verify.ts';
import { plainIssue } from './plain-issues.ts';
import { type HttpResult, jsonHeaders } from './response.ts';
import type { RouteDefinition } from './route.ts';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** Who is calling: taken only from a verified token, never from the request body, query or headers. */
export interface Caller {
  readonly userId: string;
  readonly username: string;
  /** When the access token was issued, in seconds since the epoch. */
  readonly tokenIssuedAt: number;
  /** The verified access token itself, for the calls Cognito makes on the user's behalf. */
  readonly accessToken: string;
  /** The caller's profile as the sign-out check read it for this request, once one exists. */
  readonly profile?: StoredProfile;
}

type Infer<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;
type Part<
  R extends RouteDefinition,
  K extends 'params' | 'query' | 'body' | 'headers',
> = R['request'] extends {
  [P in K]: infer S;
}
  ? Infer<S>
  : undefined;
/** A route that takes multipart too gets either body; its schemas may give both one shape. */
type Body<R extends RouteDefinition> =
  | Part<R, 'body'>
  | (R['request'] extends { multipartBody: infer S } ? Infer<S> : never);

export interface HttpRequest<R extends RouteDefinition> {
  readonly params: Part<R, 'params'>;
  readonly query: Part<R, 'query'>;
  readonly body: Body<R>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Set on `user` routes; on `optional` routes when a valid token was sent. */
  readonly caller: R['auth'] extends 'user' ? Caller : Caller | undefined;
  readonly requestId: string;
  readonly correlationId: string;
  readonly event: Event;
}

export type RouteImplementation<R extends RouteDefinition> = (request: HttpRequest<R>) => Promise<HttpResult>;

/** Resolves the caller of an `optional` route from its bearer token, if any (a bad token throws). */
export type OptionalCallerResolver = (event: Event) => Promise<Caller | undefined>;

/**
 * Refuses a verified caller whose session has ended (signed out after the token was issued);
 * answers the caller, with what it read of them.
 */
export type CallerGuard = (caller: Caller) => Promise<Caller>;

export interface HttpRouteOptions {
  readonly maxBodyBytes?: number;
  /** Told to a caller whose body is over `maxBodyBytes`: what to do instead. */
  readonly bodyTooLarge?: string;
  readonly resolveOptionalCaller?: OptionalCallerResolver;
  readonly guardCaller?: CallerGuard;
  /** The stack's origin secret: requests without it in `x-easel-origin-verify` get 403 (shared/http/origin-verify.ts). */
  readonly originSecret?: string;
  /**
   * The Content-Security-Policy of the route's answers, in place of the security headers'
   * own (which allows nothing, sandboxes HTML and requires Trusted Types): for a page that
   * runs same-origin scripts.
   */
  readonly contentSecurityPolicy?: string;
}

const defaultMaxBodyBytes = 6 * 1024 * 1024;

/** What the stack learns of a request on its way in, for the middlewares after and the route. */
interface RequestState {
  correlationId: string;
  /** The body came as multipart/form-data and is validated with the route's `multipartBody`. */
  multipart: boolean;
  /** Set by the authentication step; none on `public` routes or for an anonymous `optional` call. */
  caller: Caller | undefined;
  /** The request's parts as the route's schemas parsed them. */
  input: { params: unknown; query: unknown; body: unknown };
}

/**
 * The request's state travels on its Lambda context, middy's way of handing what the
 * middlewares found on to the handler, which is given only the event and the context.
 * Set by the correlation step, first of the stack's own; read only through `stateOf`.
 */
const stateKey = 'easelRequest';
type StackMiddleware = MiddlewareObj<Event, Result>;

function startState(context: Context, state: RequestState): void {
  Object.assign(context, { [stateKey]: state });
}

function stateOf(context: Context): RequestState {
  return (context as Context & { readonly [stateKey]: RequestState })[stateKey];
}

function requestIdOf(event: Event, context?: Context): string {
  return event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
}

function correlation(): StackMiddleware {
  return {
    before: async ({ event, context }) => {
      const correlationId = pickCorrelationId(
        event.headers?.[correlationHeader],
        requestIdOf(event, context),
      );
      const state: RequestState = {
        correlationId,
        multipart: false,
        caller: undefined,
        input: { params: {}, query: {}, body: undefined },
      };
      startState(context, state);
      logger.appendKeys({ correlationId, requestId: requestIdOf(event, context) });
      tracer.putAnnotation('correlationId', correlationId);
      logger.info('request', { route: event.routeKey, method: event.requestContext?.http?.method });
    },
  };
}

const readableSize = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
    : `${Math.ceil(bytes / 1024)} KB`;

function bodyLimit(maxBytes: number, instead?: string): StackMiddleware {
  return {
    before: async ({ event }) => {
      if (!event.body) return;
      const size = event.isBase64Encoded
        ? Math.floor((event.body.length * 3) / 4)
        : Buffer.byteLength(event.body);
      if (size > maxBytes) {
        throw new PayloadTooLargeError(
          `The request body is ${readableSize(size)}; this route takes at most ${readableSize(maxBytes)}.${instead ? ` ${instead}` : ''}`,
        );
      }
    },
  };
}

const isMultipart = (contentType: string) => contentType.startsWith('multipart/form-data');
const isJson = (contentType: string) => /^application\/(.+\+)?json/.test(contentType);

/**
 * A multipart/form-data body as an object: text fields as strings, files as
 * `MultipartFile`. Read with the platform's own parser (undici's `Request.formData()`),
 * which refuses a malformed or truncated body as a whole; busboy, under
 * @middy/http-multipart-body-parser, emits an unhandled error event for a truncated file
 * part and takes the process down. API Gateway base64-encodes such bodies.
 */
async function readForm(event: Event, contentType: string): Promise<Record<string, unknown>> {
  const body = Buffer.from(event.body!, event.isBase64Encoded ? 'base64' : 'utf8');
  const form = await parseFormData(body, contentType);
  if (!form) {
    throw new InvalidMultipartError();
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (name in fields) {
      throw new InvalidRequestError(`The form has "${name}" more than once.`, [
        { field: name, in: 'body', message: 'must be given once' },
      ]);
    }
    fields[name] =
      typeof value === 'string'
        ? value
        : ({
            filename: value.name,
            mimetype: value.type,
            content: Buffer.from(await value.arrayBuffer()),
          } satisfies MultipartFile);
  }
  return fields;
}

/**
 * Parses the body: JSON when sent, or, on a route with a `multipartBody`, multipart form
 * data. An absent body is left for the schema to judge.
 */
function parseBody(route: RouteDefinition): StackMiddleware {
  const json = httpJsonBodyParser();
  return {
    before: async (request) => {
      if (!route.request?.body || !request.event.body) return;
      const contentType = request.event.headers?.['content-type'] ?? '';
      if (route.request.multipartBody) {
        if (isMultipart(contentType)) {
          stateOf(request.context).multipart = true;
          request.event.body = (await readForm(request.event, contentType)) as never;
          return;
        }
        if (!isJson(contentType)) {
          throw new UnsupportedMediaTypeError('The request body must be JSON or multipart/form-data.');
        }
      }
      await json.before?.(request as never);
    },
  };
}

function issuesToDetails(where: NonNullable<RequestErrorDetail['in']>, error: z.core.$ZodError) {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : where,
    in: where,
    message: plainIssue(issue),
    code: issue.code,
    reason: issue.message,
  }));
}

/**
 * Who is calling, before anything else of the request is judged (its body has only been
 * read so far): on `user` routes the authorizer's verified claims, which must be an access
 * token's; on `optional` routes the bearer token when one is sent; then the sign-out check.
 */
function authentication(route: RouteDefinition, options: HttpRouteOptions): StackMiddleware {
  return {
    before: async (request) => {
      const caller =
        route.auth === 'optional'
          ? await options.resolveOptionalCaller?.(request.event)
          : authorizedCaller(request.event);
      stateOf(request.context).caller =
        caller && options.guardCaller ? await options.guardCaller(caller) : caller;
    },
  };
}

/** Path, query, body and headers against the route's schemas, every bad field named with where it was sent. */
function validation(route: RouteDefinition): StackMiddleware {
  return {
    before: async (request) => {
      const { event } = request;
      const state = stateOf(request.context);
      const details: RequestErrorDetail[] = [];
      const parts = {
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        body: event.body,
        headers: event.headers ?? {},
      };
      const parsed: Record<string, unknown> = {};
      for (const part of ['params', 'query', 'body', 'headers'] as const) {
        const schema =
          part === 'body' && state.multipart ? route.request?.multipartBody : route.request?.[part];
        if (!schema) continue;
        const result = schema.safeParse(parts[part]);
        if (result.success) parsed[part] = result.data;
        else details.push(...issuesToDetails(part, result.error));
      }
      if (details.length) {
        throw new InvalidRequestError(
          `The request is not valid: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
          details,
        );
      }
      state.input = { params: parsed.params, query: parsed.query, body: parsed.body };
    },
  };
}

function authorizedCaller(event: Event): Caller {
  const claims = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext?.authorizer?.jwt?.claims;
  // API Gateway's authorizer guarantees the claims; refusing here keeps a misrouted call safe.
  if (!claims?.sub) throw new UnauthenticatedError();
  // The authorizer checks issuer, audience, expiry and scopes only; an ID token's `aud` is
  // the app client id, so the token's use is checked here too, whatever the route's scopes.
  if (claims.token_use !== 'access') {
    throw new UnauthenticatedError(
      claims.token_use === 'id'
        ? 'An access token is required; this is an ID token.'
        : 'An access token is required; this token is not one.',
    );
  }
  return {
    userId: String(claims.sub),
    username: String(claims.username ?? claims.sub),
    tokenIssuedAt: Number(claims.iat ?? 0),
    accessToken: bearerToken(event.headers?.authorization) ?? '',
  };
}

// No reporting endpoints are configured: middy would otherwise send `Reporting-Endpoints` empty
// (its types leave out the option, which its code reads like every other).
const securityHeaderOptions = { reportingEndpoints: false } as unknown as Parameters<
  typeof httpSecurityHeaders
>[0];

/**
 * Sets every answer's Cache-Control, errors included (after the error handler made them):
 * only an anonymous success of a cacheable route may be kept by CloudFront.
 */
function cacheControl(route: RouteDefinition): StackMiddleware {
  const decide = async (request: { event: Event; response: Result | undefined | null }) => {
    const response = request.response;
    if (!response) return;
    const headers = { ...response.headers };
    const answered = Object.entries(headers).find(([name]) => name.toLowerCase() === 'cache-control');
    if (answered) delete headers[answered[0]];
    headers['cache-control'] = cacheControlOf({
      cache: route.cache,
      credentials: carriesCredentials(request.event),
      statusCode: response.statusCode ?? 200,
      answered: answered === undefined ? undefined : String(answered[1]),
    });
    response.headers = headers;
  };
  return { after: decide, onError: decide };
}

/**
 * The HTTP stack every route runs in, outermost first: Lambda context and correlation id
 * in the logs and the X-Ray trace (without the answer, which may hold signed URLs), header
 * normalising, the origin check (came through CloudFront), body size limit, JSON (or
 * multipart) body, authentication (not on `public` routes), zod validation of path, query,
 * body and headers, Cache-Control, security headers, and the error handler (last, so it
 * runs first on error). A body too large or unreadable is refused before the token is
 * looked at, and a token before the request's fields.
 */
export function httpRoute<const R extends RouteDefinition>(
  route: R,
  implementation: RouteImplementation<R>,
  options: HttpRouteOptions = {},
) {
  return middy<Event, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(correlation())
    .use(httpHeaderNormalizer())
    .use(options.originSecret === undefined ? [] : [originVerify(options.originSecret)])
    .use(bodyLimit(options.maxBodyBytes ?? defaultMaxBodyBytes, options.bodyTooLarge))
    .use(parseBody(route))
    .use(route.auth === 'public' ? [] : [authentication(route, options)])
    .use(validation(route))
    .use(cacheControl(route))
    .use(
      httpSecurityHeaders(
        // `false` leaves the header to the route (below); the types only know policy maps.
        options.contentSecurityPolicy === undefined
          ? securityHeaderOptions
          : ({ ...securityHeaderOptions, contentSecurityPolicy: false } as never),
      ),
    )
    .use(errorHandler(route))
    .handler(async (event, context) => {
      const state = stateOf(context);
      const result = await implementation({
        ...(state.input as Pick<HttpRequest<R>, 'params' | 'query' | 'body'>),
        caller: state.caller as HttpRequest<R>['caller'],
        headers: event.headers ?? {},
        requestId: requestIdOf(event, context),
        correlationId: state.correlationId,
        event,
      });
      logger.info('response', { status: result.statusCode });
      const json = result.text === undefined && result.body !== undefined;
      return {
        statusCode: result.statusCode,
        headers: {
          ...(json ? jsonHeaders : {}),
          ...(options.contentSecurityPolicy === undefined
            ? {}
            : { 'content-security-policy': options.contentSecurityPolicy }),
          ...result.headers,
        },
        ...(result.text !== undefined
          ? { body: result.text }
          : json
            ? { body: JSON.stringify(result.body) }
            : {}),
        ...(result.cookies?.length ? { cookies: [...result.cookies] } : {}),
      };
    });
}

export type HttpRouteHandler = ReturnType<typeof httpRoute>;
