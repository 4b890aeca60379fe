import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, InvalidJsonError, QuotaExceededError, UnsupportedMediaTypeError } from '../errors.ts';
import { logger } from '../logger.ts';
import { count } from '../metrics.ts';
import { jsonHeaders } from './response.ts';

interface MiddyHttpError extends Error {
  statusCode: number;
  cause?: { package?: string };
}

function isMiddyHttpError(error: unknown): error is MiddyHttpError {
  return error instanceof Error && typeof (error as MiddyHttpError).statusCode === 'number';
}

/** Middy's own parsers throw their HTTP errors; give them the API's codes. */
function fromMiddy(error: MiddyHttpError): AppError | undefined {
  if (error.cause?.package === '@middy/http-json-body-parser') {
    return error.message === 'Unsupported Media Type'
      ? new UnsupportedMediaTypeError('The request body must be JSON (content-type: application/json).')
      : new InvalidJsonError();
  }
  return undefined;
}

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isMiddyHttpError(error)) return fromMiddy(error);
  return undefined;
}

export function errorResponse(error: AppError, requestId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: error.status,
    headers: { ...jsonHeaders, ...error.headers },
    body: JSON.stringify({
      error: {
        code: error.code,
        message: error.message,
        ...(error.details?.length ? { details: error.details } : {}),
      },
      requestId,
    }),
  };
}

export function internalErrorResponse(requestId: string): APIGatewayProxyStructuredResultV2 {
  return errorResponse(
    new AppError(500, 'INTERNAL', 'Something went wrong on our side. Quote the request id if you report it.'),
    requestId,
  );
}

/**
 * The one place where errors become HTTP answers. Registered last so that it runs first
 * on error, and the middlewares before it (security headers) still decorate its answer.
 */
export function errorHandler(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';
      const known = toAppError(request.error);
      if (known) {
        logger.info('request refused', { status: known.status, code: known.code, reason: known.message });
        if (known instanceof QuotaExceededError) count('quotaRefusals');
        request.response = errorResponse(known, requestId);
        return;
      }
      logger.error('unhandled error', request.error as Error);
      request.response = internalErrorResponse(requestId);
    },
  };
}
