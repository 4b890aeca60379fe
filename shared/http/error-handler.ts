import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  BadCursorError,
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidImageError,
  NotFoundError,
  PayloadTooLargeError,
  QuotaExceededError,
  RateLimitedError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  UpstreamUnavailableError,
  ValidationError,
} from '../errors.ts';
import { logger } from '../logger.ts';
import { count } from '../metrics.ts';
import { HttpError, InvalidJsonError, type RequestErrorDetail } from './http-errors.ts';
import { jsonHeaders } from './response.ts';
import type { RouteDefinition } from './route.ts';

interface MiddyHttpError extends Error {
  statusCode: number;
  cause?: { package?: string };
}

function isMiddyHttpError(error: unknown): error is MiddyHttpError {
  return error instanceof Error && typeof (error as MiddyHttpError).statusCode === 'number';
}

/** Middy's own parsers throw their HTTP errors; give them the API's codes. */
function fromMiddy(error: MiddyHttpError): HttpError | undefined {
  if (error.cause?.package === '@middy/http-json-body-parser') {
    return error.message === 'Unsupported Media Type'
      ? new HttpError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'The request body must be JSON (content-type: application/json).',
        )
      : new InvalidJsonError();
  }
  return undefined;
}

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

/** Each kind of domain error's status; the first class the error is an instance of decides. */
const statuses: readonly (readonly [DomainErrorClass, number])[] = [
  [ValidationError, 400],
  [BadCursorError, 400],
  [InvalidImageError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [RateLimitedError, 429],
  [UpstreamUnavailableError, 503],
];

/** Where a field named by a domain error was sent: the request part whose schema has it. */
export type FieldLocation = (field: string) => RequestErrorDetail['in'];

/**
 * A use case's input is the request's body, but for a name the route takes in its path or
 * query.
 */
export function fieldLocation(route?: Pick<RouteDefinition, 'request'>): FieldLocation {
  return (field) => {
    const name = field.split('.')[0]!;
    if (route?.request?.params && name in route.request.params.shape) return 'params';
    if (route?.request?.query && name in route.request.query.shape) return 'query';
    return 'body';
  };
}

function located(
  details: readonly RequestErrorDetail[] | undefined,
  locate: FieldLocation,
): readonly RequestErrorDetail[] | undefined {
  return details?.map((detail) =>
    detail.field === undefined || detail.in !== undefined
      ? detail
      : { field: detail.field, in: locate(detail.field), ...detail },
  );
}

function fromDomain(error: DomainError, locate: FieldLocation): HttpError | undefined {
  const status = statuses.find(([kind]) => error instanceof kind)?.[1];
  if (status === undefined) return undefined;
  return new HttpError(
    status,
    error.code,
    error.message,
    error instanceof ValidationError ? located(error.details, locate) : error.details,
    error instanceof RateLimitedError
      ? { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) }
      : undefined,
  );
}

/** The HTTP answer an error stands for, or `undefined` for one the API does not know (a 500). */
export function httpErrorOf(error: unknown, locate: FieldLocation = fieldLocation()): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) return fromDomain(error, locate);
  if (isMiddyHttpError(error)) return fromMiddy(error);
  return undefined;
}

const internalError = () =>
  new HttpError(500, 'INTERNAL', 'Something went wrong on our side. Quote the request id if you report it.');

export function errorResponse(
  error: HttpError | DomainError,
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  const answer = httpErrorOf(error) ?? internalError();
  return {
    statusCode: answer.status,
    headers: { ...jsonHeaders, ...answer.headers },
    body: JSON.stringify({
      error: {
        code: answer.code,
        message: answer.message,
        ...(answer.details?.length ? { details: answer.details } : {}),
      },
      requestId,
    }),
  };
}

export function internalErrorResponse(requestId: string): APIGatewayProxyStructuredResultV2 {
  return errorResponse(internalError(), requestId);
}

/**
 * The one place where errors become HTTP answers: each domain error's status, headers
 * (`Retry-After` of a rate limit) and, for a field it names, where the route takes that
 * field. Registered last so that it runs first on error, and the middlewares before it
 * (security headers) still decorate its answer.
 */
export function errorHandler(
  route?: Pick<RouteDefinition, 'request'>,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const locate = fieldLocation(route);
  return {
    onError: async (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';
      const known = httpErrorOf(request.error, locate);
      if (known) {
        logger.info('request refused', { status: known.status, code: known.code, reason: known.message });
        if (request.error instanceof QuotaExceededError) count('quotaRefusals');
        request.response = errorResponse(known, requestId);
        return;
      }
      logger.error('unhandled error', request.error as Error);
      request.response = internalErrorResponse(requestId);
    },
  };
}
