import { ApiError, asApiError, errorFromBody } from './errors.ts';

export interface HttpOptions {
  /** JSON text, or a multipart form. */
  readonly body?: string | FormData;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** How the browser's HTTP cache may answer (the gallery is cacheable for a few seconds). */
  readonly cache?: RequestCache;
}

/**
 * One request to the API on this origin, as session.ts prepares it from the route table: JSON
 * (or a form) in, JSON out, and any failure (network, error answer, unreadable body) thrown as
 * an ApiError with words for the person.
 */
export async function http<T>(method: string, path: string, options: HttpOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body,
      signal: options.signal,
      cache: options.cache,
      // Only the refresh cookie exists, and it is sent only to /api/auth (its Path).
      credentials: 'same-origin',
    });
  } catch (error) {
    throw asApiError(error);
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      if (response.ok)
        throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent an unreadable answer.');
    }
  }
  if (!response.ok) {
    throw errorFromBody(response.status, json, response.headers.get('retry-after'), response.statusText);
  }
  return json as T;
}
