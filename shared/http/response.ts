export const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' } as const;

/** What a route's implementation answers; the stack serialises `body` as JSON. */
export interface HttpResult {
  readonly statusCode: number;
  readonly body?: unknown;
  /** A body sent as it is (with its own `content-type` in `headers`), instead of `body` as JSON. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set-Cookie values (API Gateway payload 2.0 sends each as a header of its own). */
  readonly cookies?: readonly string[];
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  statusCode: 200,
  body,
  headers,
});
export const created = (body: unknown): HttpResult => ({ statusCode: 201, body });
export const accepted = (body: unknown): HttpResult => ({ statusCode: 202, body });
export const noContent = (): HttpResult => ({ statusCode: 204 });

/** A page of HTML, as it is. */
export const html = (statusCode: number, text: string, headers?: Record<string, string>): HttpResult => ({
  statusCode,
  text,
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
});

/** Sends the client on to `location` (`302 Found`). */
export const found = (location: string): HttpResult => ({
  statusCode: 302,
  headers: { location, 'cache-control': 'no-store' },
});
