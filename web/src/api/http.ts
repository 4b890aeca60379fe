import { ApiError, asApiError, errorFromBody } from './errors.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpOptions {
  readonly body?: unknown;
  readonly token?: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** How the browser's HTTP cache may answer (the gallery is cacheable for a few seconds). */
  readonly cache?: RequestCache;
}

/**
 * One call to the API on this origin: JSON in and out, and any failure (network, error
 * answer, unreadable body) thrown as an ApiError with words for the person.
 */
export async function http<T>(method: Method, path: string, options: HttpOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
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

export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
