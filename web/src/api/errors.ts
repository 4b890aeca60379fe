/**
 * Errors as the API reports them (`{error:{code,message,details?},requestId}`), and the
 * plain words the app shows for them. Pure functions, so they are unit tested without a page.
 */
export interface ErrorDetail {
  readonly field?: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly requestId?: string,
    /** Seconds, from the Retry-After header of a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Anything thrown while talking to the API becomes an ApiError, so every failure has words. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DOMException && error.name === 'AbortError')
    return new ApiError(0, 'ABORTED', 'The request was cancelled.');
  if (error instanceof TypeError) return new ApiError(0, 'NETWORK', error.message);
  return new ApiError(0, 'CLIENT', error instanceof Error ? error.message : String(error));
}

/** Reads an error answer; a body that is not the API's error shape still gives its status. */
export function errorFromBody(
  status: number,
  body: unknown,
  retryAfter: string | null,
  statusText = '',
): ApiError {
  const seconds = retryAfter === null ? undefined : Number(retryAfter);
  const retryAfterSeconds = seconds !== undefined && Number.isFinite(seconds) ? seconds : undefined;
  const shaped = body as {
    error?: { code?: unknown; message?: unknown; details?: unknown };
    requestId?: unknown;
  };
  if (shaped && typeof shaped === 'object' && shaped.error && typeof shaped.error.code === 'string') {
    const details = Array.isArray(shaped.error.details)
      ? shaped.error.details.filter(
          (detail): detail is ErrorDetail =>
            !!detail && typeof detail === 'object' && typeof (detail as ErrorDetail).message === 'string',
        )
      : [];
    return new ApiError(
      status,
      shaped.error.code,
      typeof shaped.error.message === 'string' ? shaped.error.message : `The server answered ${status}.`,
      details,
      typeof shaped.requestId === 'string' ? shaped.requestId : undefined,
      retryAfterSeconds,
    );
  }
  return new ApiError(
    status,
    status >= 500 ? 'INTERNAL' : 'HTTP_ERROR',
    `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`,
    [],
    undefined,
    retryAfterSeconds,
  );
}

/** "in 3 hours 5 minutes (at 00:00)": when a wait of this many seconds ends. */
export function describeWait(seconds: number, now: Date, locale?: string): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [
    hours ? `${hours} hour${hours === 1 ? '' : 's'}` : '',
    rest ? `${rest} minute${rest === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  const at = new Date(now.getTime() + seconds * 1000).toLocaleTimeString(locale, {
    hour: '2-digit',
    minute: '2-digit',
  });
  return `in ${parts.join(' ')} (at ${at})`;
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  // A message that starts with a name as it was given ("huge.jpg is 24 MB") keeps its case.
  const startsWithName = /^\S+\.\w/.test(trimmed);
  const capital = startsWithName ? trimmed : trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** The words shown to the person for an API error. */
export function plainMessage(error: ApiError, now = new Date(), locale?: string): string {
  switch (error.code) {
    case 'NETWORK':
      return 'Easel could not be reached. Check your connection and try again.';
    case 'ABORTED':
      return 'The request was cancelled.';
    case 'QUOTA_EXCEEDED':
      return error.retryAfterSeconds === undefined
        ? sentence(error.message)
        : `${sentence(error.message)} You can make images again ${describeWait(error.retryAfterSeconds, now, locale)}.`;
    case 'RATE_LIMITED':
      return error.retryAfterSeconds === undefined
        ? sentence(error.message)
        : `${sentence(error.message)} Try again ${describeWait(error.retryAfterSeconds, now, locale)}.`;
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Log in again to go on.';
    case 'NOT_SERVED':
      // A 404 from the API's catch-all: this server does not serve the route (yet); see `call`.
      return 'This part of Easel is not available on this server yet.';
    case 'VALIDATION_FAILED':
      return error.details.some((detail) => detail.field)
        ? 'Some of what you entered needs another look; see the notes beside the fields.'
        : sentence(error.message);
    default:
      return sentence(error.message);
  }
}

/** Per-field messages from `details[].field`, for the fields a form shows. */
export function fieldMessages(error: ApiError | undefined): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const detail of error?.details ?? []) {
    if (detail.field && !byField[detail.field]) byField[detail.field] = sentence(detail.message);
  }
  return byField;
}

/** A failed job's reason, in words that say what happened and what to do. */
export function jobFailureMessage(error: { code: string; message: string } | undefined): string {
  if (!error) return 'The job failed without a reason.';
  switch (error.code) {
    case 'MODERATION_BLOCKED':
      return 'The image provider refused this request: its safety system flagged the prompt or image. Reword it and try again; refused requests do not count against your quota.';
    case 'UPSTREAM_UNAVAILABLE':
      return 'The image provider was unavailable, even after several tries. Try again in a while; this did not count against your quota.';
    case 'INVALID_SOURCE':
      return `The source image could not be used. ${sentence(error.message)}`;
    default:
      return sentence(error.message);
  }
}
