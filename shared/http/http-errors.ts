import type { ErrorDetail } from '../errors.ts';

/** A detail of a refused request, with where the field was sent. */
export interface RequestErrorDetail extends ErrorDetail {
  readonly in?: 'params' | 'query' | 'body' | 'headers';
}

/**
 * An answer in the API's error format: a status, a code, a message, optional details and
 * headers. Domain errors become one in `shared/http/error-handler.ts`; the HTTP layer throws
 * its own (a method the path does not take, a body that is not JSON) directly.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly RequestErrorDetail[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request's parts do not match the route's schemas: every bad field with where it was sent. */
export class InvalidRequestError extends HttpError {
  constructor(message: string, details: readonly RequestErrorDetail[]) {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

export class InvalidJsonError extends HttpError {
  constructor(message = 'The request body is not valid JSON.') {
    super(400, 'INVALID_JSON', message);
  }
}

export class InvalidMultipartError extends HttpError {
  constructor(message = 'The multipart/form-data body could not be read.') {
    super(400, 'INVALID_MULTIPART', message);
  }
}

/** The path is one of the API's, but not for this method; `allow` lists the ones it takes. */
export class MethodNotAllowedError extends HttpError {
  constructor(
    method: string,
    path: string,
    readonly allow: readonly string[],
  ) {
    super(
      405,
      'METHOD_NOT_ALLOWED',
      `${path} does not take ${method}; it takes ${allow.join(', ')}.`,
      undefined,
      { allow: allow.join(', ') },
    );
  }
}
