import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** What route selection needs of a route: its method (or `ANY`) and path template. */
export interface RouteKeyed {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<R extends RouteKeyed = RouteKeyed> {
  readonly route: R;
  readonly pathParameters: Record<string, string>;
}

interface CompiledRoute<R extends RouteKeyed> {
  readonly route: R;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly rank: number;
}

/**
 * API Gateway's route selection: the most specific path wins; static segments beat
 * variables, and a greedy `{proxy+}` is tried last.
 */
export function compileRoutes<R extends RouteKeyed>(routes: readonly R[]) {
  const compiled: CompiledRoute<R>[] = routes.map((route) => {
    const names: string[] = [];
    let rank = 0;
    const source = route.path
      .split('/')
      .map((segment) => {
        const variable = /^\{(\w+)(\+?)\}$/.exec(segment);
        if (!variable) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(variable[1]!);
        rank += variable[2] ? 1000 : 1;
        return variable[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), names, rank };
  });
  compiled.sort(
    (a, b) => a.rank - b.rank || (a.route.method === 'ANY' ? 1 : 0) - (b.route.method === 'ANY' ? 1 : 0),
  );

  return (method: string, path: string): RouteMatch<R> | undefined => {
    for (const candidate of compiled) {
      if (candidate.route.method !== 'ANY' && candidate.route.method !== method) continue;
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      const pathParameters: Record<string, string> = {};
      candidate.names.forEach((name, index) => {
        pathParameters[name] = decodeURIComponent(match[index + 1]!);
      });
      return { route: candidate.route, pathParameters };
    }
    return undefined;
  };
}

const textTypes = [
  /^text\//,
  /^application\/(.+\+)?json/,
  /^application\/xml/,
  /^application\/x-www-form-urlencoded/,
];

/** HTTP APIs pass text bodies as they are and base64-encode everything else. */
export function isTextBody(contentType: string | undefined): boolean {
  return !contentType || textTypes.some((pattern) => pattern.test(contentType));
}

/** An API Gateway-style request id. */
export function gatewayRequestId(): string {
  return randomBytes(12).toString('base64').replace(/[+/=]/g, '').slice(0, 16);
}

export interface ApiEventInput {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly match: RouteMatch;
  readonly requestId: string;
  readonly claims?: Record<string, unknown>;
  readonly scopes?: readonly string[];
}

function joinHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** JWT authorizer claims reach the integration as strings, arrays as `[a b]`. */
function gatewayClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([key, value]) => [
      key,
      Array.isArray(value) ? `[${value.join(' ')}]` : String(value),
    ]),
  );
}

/** An API Gateway HTTP API (payload format 2.0) event, as the Lambda integration sends it. */
export function toApiEvent(input: ApiEventInput): APIGatewayProxyEventV2 {
  const { url, match } = input;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(input.headers)) {
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else if (value !== undefined) headers[name] = joinHeader(value)!;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const text = isTextBody(headers['content-type']);
  const key = `${match.route.method} ${match.route.path}`;
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: input.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: key,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(input.claims
        ? {
            authorizer: {
              jwt: {
                claims: gatewayClaims(input.claims),
                scopes: input.scopes?.length ? input.scopes : null,
              },
            },
          }
        : {}),
    },
    ...(input.body.length
      ? { body: text ? input.body.toString('utf8') : input.body.toString('base64'), isBase64Encoded: !text }
      : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}
