/**
 * Typed errors of the domain and the HTTP layer. They carry the API's status and code;
 * the one place that turns them into HTTP answers is `shared/http/error-handler.ts`.
 */
export interface ErrorDetail {
  readonly field?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: readonly ErrorDetail[], code = 'VALIDATION_FAILED') {
    super(400, code, message, details);
  }
}

export class InvalidJsonError extends AppError {
  constructor(message = 'The request body is not valid JSON.') {
    super(400, 'INVALID_JSON', message);
  }
}

export class BadCursorError extends AppError {
  constructor(message = 'The cursor is not valid for this listing.') {
    super(400, 'BAD_CURSOR', message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'A valid access token is required.', code = 'UNAUTHENTICATED') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do that.') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'NOT_FOUND', message);
  }
}

/** The path is one of the API's, but not for this method; `allow` lists the ones it takes. */
export class MethodNotAllowedError extends AppError {
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

export class ConflictError extends AppError {
  constructor(message: string, code = 'CONFLICT') {
    super(409, code, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'PAYLOAD_TOO_LARGE', message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/** The bytes are an accepted type but not a usable image: undecodable, too many pixels, a mask without alpha. */
export class InvalidImageError extends AppError {
  constructor(message: string, details?: readonly ErrorDetail[]) {
    super(400, 'INVALID_IMAGE', message, details);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number, code = 'RATE_LIMITED') {
    super(429, code, message, undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

export class QuotaExceededError extends TooManyRequestsError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, retryAfterSeconds, 'QUOTA_EXCEEDED');
  }
}

export class UpstreamUnavailableError extends AppError {
  constructor(message = 'The image provider is unavailable; try again shortly.') {
    super(503, 'UPSTREAM_UNAVAILABLE', message);
  }
}
