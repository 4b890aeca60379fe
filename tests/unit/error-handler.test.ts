import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  BadCursorError,
  ConflictError,
  type DomainError,
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
} from '../../shared/errors.ts';
import { errorResponse, fieldLocation, httpErrorOf } from '../../shared/http/error-handler.ts';
import { HttpError, MethodNotAllowedError } from '../../shared/http/http-errors.ts';

describe('domain errors as HTTP answers', () => {
  it.each([
    [new ValidationError('Bad.'), 400, 'VALIDATION_FAILED'],
    [new ValidationError('Wrong code.', undefined, 'CODE_MISMATCH'), 400, 'CODE_MISMATCH'],
    [new BadCursorError(), 400, 'BAD_CURSOR'],
    [new InvalidImageError('Unreadable.'), 400, 'INVALID_IMAGE'],
    [new UnauthenticatedError(), 401, 'UNAUTHENTICATED'],
    [new UnauthenticatedError('Wrong.', 'INVALID_CREDENTIALS'), 401, 'INVALID_CREDENTIALS'],
    [new ForbiddenError(), 403, 'FORBIDDEN'],
    [new NotFoundError(), 404, 'NOT_FOUND'],
    [new ConflictError('Taken.'), 409, 'CONFLICT'],
    [new ConflictError('Used.', 'IDEMPOTENCY_KEY_REUSED'), 409, 'IDEMPOTENCY_KEY_REUSED'],
    [new PayloadTooLargeError('Too big.'), 413, 'PAYLOAD_TOO_LARGE'],
    [new UnsupportedMediaTypeError('A GIF.'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [new RateLimitedError('Slow down.', 10), 429, 'RATE_LIMITED'],
    [new QuotaExceededError('Spent.', 10), 429, 'QUOTA_EXCEEDED'],
    [new UpstreamUnavailableError(), 503, 'UPSTREAM_UNAVAILABLE'],
  ] as [DomainError, number, string][])('%s answers %i %s with its own message', (error, status, code) => {
    expect(error).not.toHaveProperty('status');
    const answer = httpErrorOf(error);
    expect(answer).toBeInstanceOf(HttpError);
    expect([answer?.status, answer?.code, answer?.message]).toEqual([status, code, error.message]);
  });

  it('gives a rate limit a Retry-After of its whole seconds, at least one', () => {
    expect(httpErrorOf(new RateLimitedError('Slow down.', 14.2))?.headers).toEqual({ 'retry-after': '15' });
    expect(httpErrorOf(new QuotaExceededError('Spent.', 0.1))?.headers).toEqual({ 'retry-after': '1' });
    expect(httpErrorOf(new NotFoundError())?.headers).toBeUndefined();
  });

  it('says where a field of a domain validation error was sent, after its name', () => {
    const route = {
      request: {
        params: z.object({ imageId: z.string() }),
        query: z.object({ limit: z.string() }),
      },
    };
    const error = new ValidationError('Bad.', [
      { field: 'size', message: 'must be one of 1024x1024' },
      { field: 'imageId', message: 'unknown' },
      { field: 'limit', message: 'too many', reason: 'max' },
      { message: 'no field' },
    ]);
    const body = JSON.parse(errorResponse(httpErrorOf(error, fieldLocation(route))!, 'r').body!);
    expect(JSON.stringify(body.error.details)).toBe(
      JSON.stringify([
        { field: 'size', in: 'body', message: 'must be one of 1024x1024' },
        { field: 'imageId', in: 'params', message: 'unknown' },
        { field: 'limit', in: 'query', message: 'too many', reason: 'max' },
        { message: 'no field' },
      ]),
    );
  });

  it('leaves an invalid image’s details as the domain gave them', () => {
    const answer = httpErrorOf(new InvalidImageError('Gone.', [{ field: 'mask', message: 'gone' }]));
    expect(answer?.details).toEqual([{ field: 'mask', message: 'gone' }]);
  });

  it('keeps the HTTP layer’s own errors as they are', () => {
    const error = new MethodNotAllowedError('PUT', '/api/health', ['GET', 'HEAD']);
    expect(httpErrorOf(error)).toBe(error);
    expect(errorResponse(error, 'r').headers).toMatchObject({ allow: 'GET, HEAD' });
  });

  it('knows nothing of other errors, which answer 500 INTERNAL', () => {
    expect(httpErrorOf(new Error('boom'))).toBeUndefined();
    const answer = errorResponse(new HttpError(500, 'INTERNAL', 'Something went wrong.'), 'r');
    expect(answer.statusCode).toBe(500);
  });
});
