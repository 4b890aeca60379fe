export const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' } as const;

/**
 * What a route's implementation answers; the stack serialises `body` as JSON. Its status
 * and body are typed as they are given, so `bind` (./router.ts) can check them against
 * the route's declared responses.
 */
export interface HttpResult<S extends number = number, B = unknown> {
  readonly statusCode: S;
  readonly body?: B;
  /** A body sent as it is (with its own `content-type` in `headers`), instead of `body` as JSON. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set-Cookie values (API Gateway payload 2.0 sends each as a header of its own). */
  readonly cookies?: readonly string[];
}

/** An answer with a JSON body. */
export type JsonResult<S extends number, B> = HttpResult<S, B> & { readonly body: B };

export const ok = <B>(body: B, headers?: Record<string, string>): JsonResult<200, B> => ({
  statusCode: 200,
  body,
  headers,
});
export const created = <B>(body: B): JsonResult<201, B> => ({ statusCode: 201, body });
export const accepted = <B>(body: B): JsonResult<202, B> => ({ statusCode: 202, body });
export const noContent = (): HttpResult<204, undefined> => ({ statusCode: 204 });

/** A page of HTML, as it is. */
export const html = <S extends number>(
  statusCode: S,
  text: string,
  headers?: Record<string, string>,
): HttpResult<S, undefined> => ({
  statusCode,
  text,
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
});

/** Sends the client on to `location` (`302 Found`). */
export const found = (location: string): HttpResult<302, undefined> => ({
  statusCode: 302,
  headers: { location, 'cache-control': 'no-store' },
});
