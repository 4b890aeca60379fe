import type { z } from 'zod/mini';
import { operations } from './operations.ts';
import type { RouteAuth } from './route.ts';
import type { routes } from './routes.ts';

/*
 * What the web app and the command line share to call the API by operation: the method, path
 * and auth come from the route table (through the data-only ./operations.ts, so no zod reaches
 * the browser), the inputs are typed from the route's request schemas (`z.input`) and the answer
 * from its success response's schema (`z.output`). Each client sends the request its own way
 * (the browser's session, the command line's stored login).
 */

export type OperationId = keyof typeof operations;
export type Operation = (typeof operations)[OperationId];

type Route<Id extends OperationId> = (typeof routes)[Id];
type RequestOf<Id extends OperationId> = Route<Id> extends { readonly request: infer R } ? R : object;
type Field<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodMiniType } ? S : never;

type ParamsInput<R> = [Field<R, 'params'>] extends [never]
  ? { readonly params?: undefined }
  : { readonly params: z.input<Field<R, 'params'>> };
type QueryInput<R> = [Field<R, 'query'>] extends [never]
  ? { readonly query?: undefined }
  : { readonly query?: Partial<z.input<Field<R, 'query'>>> };
/** JSON as the body schema takes it; a route that also takes multipart takes a FormData too. */
type BodyValue<R> =
  | z.input<Field<R, 'body'>>
  | ([Field<R, 'multipartBody'>] extends [never] ? never : FormData);
type BodyInput<R> = [Field<R, 'body'>] extends [never]
  ? { readonly body?: undefined }
  : undefined extends z.input<Field<R, 'body'>>
    ? { readonly body?: BodyValue<R> }
    : { readonly body: BodyValue<R> };

/** What a call of the operation takes: its path parameters, query and body, typed from its schemas. */
export type CallInput<Id extends OperationId> = ParamsInput<RequestOf<Id>> &
  QueryInput<RequestOf<Id>> &
  BodyInput<RequestOf<Id>>;

type Responses<Id extends OperationId> = Route<Id>['responses'];
type SuccessStatus = 200 | 201 | 202 | 203 | 204;
type Answer<Response> = Response extends { readonly schema: infer S extends z.ZodMiniType }
  ? z.output<S>
  : undefined;

/** The answer of a successful call: its 2xx response's schema, or nothing (e.g. `204`). */
export type CallResult<Id extends OperationId> = Answer<
  Responses<Id>[Extract<keyof Responses<Id>, SuccessStatus>]
>;

/**
 * The arguments after the operation id: its input, with a client's own options (`Options`, e.g. an
 * abort signal) beside it; an input with no required part may be left out.
 */
export type CallArgs<Id extends OperationId, Options = object> =
  object extends CallInput<Id> ? [input?: CallInput<Id> & Options] : [input: CallInput<Id> & Options];

/** `/api/images/{imageId}` with `{ imageId: 'a b' }` → `/api/images/a%20b`. */
export function buildPath(template: string, params: Readonly<Record<string, unknown>> = {}): string {
  return template.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '')
      throw new TypeError(`The path ${template} needs a value for ${name}.`);
    return encodeURIComponent(String(value));
  });
}

/**
 * `?a=1&b=x%20y`, or '' when nothing is left: undefined, null and empty values are left out,
 * an array gives its parameter once per item.
 */
export function queryString(query: Readonly<Record<string, unknown>> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== undefined && item !== null && item !== '') search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A request ready to send, but for the token its `auth` asks for. */
export interface PreparedCall {
  readonly operationId: OperationId;
  readonly method: Operation['method'];
  /** The path with its parameters and query, e.g. `/api/images?kind=edited&limit=24`. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** JSON text, or the FormData of a multipart body. */
  readonly body?: string | FormData;
  readonly headers: Readonly<Record<string, string>>;
}

export function operation(operationId: OperationId): Operation {
  const found = operations[operationId];
  if (!found) throw new TypeError(`No operation ${operationId} in the route table.`);
  return found;
}

/** The method, path, auth and body of a call: a JSON body gets its content type, a FormData its own. */
export function prepareCall<Id extends OperationId>(operationId: Id, ...[input]: CallArgs<Id>): PreparedCall {
  const { method, path, auth } = operation(operationId);
  const given = (input ?? {}) as {
    params?: Record<string, unknown>;
    query?: Record<string, unknown>;
    body?: unknown;
  };
  const headers: Record<string, string> = {};
  let body: string | FormData | undefined;
  if (typeof FormData !== 'undefined' && given.body instanceof FormData) body = given.body;
  else if (given.body !== undefined) {
    body = JSON.stringify(given.body);
    headers['content-type'] = 'application/json';
  }
  return {
    operationId,
    method,
    path: `${buildPath(path, given.params)}${queryString(given.query)}`,
    auth,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

/** Whether the API documents this status for the operation (its own answers and those it gives for what it is). */
export function documents(operationId: OperationId, status: number): boolean {
  return (operation(operationId).statuses as readonly number[]).includes(status);
}
