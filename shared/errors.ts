/**
 * What went wrong, in the domain's words. Each class names a kind of failure and carries
 * the API's error code and a message for people; none knows an HTTP status, a header or
 * where in a request a field was sent. `shared/http/error-handler.ts` alone turns them into
 * HTTP answers.
 */
export interface ErrorDetail {
  /** The input the detail is about, by name (`size`, `source.imageId`). */
  readonly field?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export abstract class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input breaks a rule: its details name each field and what is wrong with it. */
export class ValidationError extends DomainError {
  constructor(message: string, details?: readonly ErrorDetail[], code = 'VALIDATION_FAILED') {
    super(code, message, details);
  }
}

export class BadCursorError extends DomainError {
  constructor(message = 'The cursor is not valid for this listing.') {
    super('BAD_CURSOR', message);
  }
}

/** The bytes are an accepted type but not a usable image: undecodable, too many pixels, a mask without alpha. */
export class InvalidImageError extends DomainError {
  constructor(message: string, details?: readonly ErrorDetail[]) {
    super('INVALID_IMAGE', message, details);
  }
}

/** Who is asking is not known: no token, a bad one, a session that has ended, wrong credentials. */
export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid access token is required.', code = 'UNAUTHENTICATED') {
    super(code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do that.') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'Not found.') {
    super('NOT_FOUND', message);
  }
}

/** The thing is not in a state that allows this (exists already, not ready yet, …). */
export class ConflictError extends DomainError {
  constructor(message: string, code = 'CONFLICT') {
    super(code, message);
  }
}

/** More bytes than this accepts. */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', message);
  }
}

/** Content of a type this does not take. */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/** Too many of these too soon: allowed again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'RATE_LIMITED',
  ) {
    super(code, message);
  }
}

/** The caller's quota for the period is spent. */
export class QuotaExceededError extends RateLimitedError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, retryAfterSeconds, 'QUOTA_EXCEEDED');
  }
}

/** A service this depends on (the image provider, the account service) failed or refused to serve. */
export class UpstreamUnavailableError extends DomainError {
  constructor(message = 'The image provider is unavailable; try again shortly.') {
    super('UPSTREAM_UNAVAILABLE', message);
  }
}
