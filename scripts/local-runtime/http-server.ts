import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PayloadTooLargeError } from '../../shared/errors.ts';
import { errorResponse, httpErrorOf } from '../../shared/http/error-handler.ts';
import { HttpError } from '../../shared/http/http-errors.ts';
import type { ApiRoute } from '../assembly/runtime-model.ts';
import { compileRoutes, gatewayRequestId, toApiEvent } from './api-event.ts';
import { FunctionError } from './function-pool.ts';

export interface ImageObject {
  readonly body: Uint8Array;
  readonly contentType?: string;
}

/** Runs one invocation of a function by its name; answers what the handler returned. */
export type InvokeFunction = (name: string, event: unknown) => Promise<unknown>;

/** The JWT authorizer of a route: the verified claims, or a 401/403 error. */
export type AuthorizeRoute = (
  route: ApiRoute,
  authorization: string | undefined,
) => Promise<Record<string, unknown>>;

/** What the server serves once the stack is up: the API's routes, and the image bucket's public copies. */
export interface ApiApp {
  readonly routes: readonly ApiRoute[];
  readonly invoke: InvokeFunction;
  readonly authorize: AuthorizeRoute;
  /** What CloudFront adds to each request it forwards to the API (the origin secret), replacing the viewer's own. */
  readonly originHeaders?: Readonly<Record<string, string>>;
  /** CloudFront's path patterns that go to the API (`/api/*`, `/s/*`); without them, `/api/*` alone. */
  readonly apiPathPatterns?: readonly string[];
  /** `/img/<key>` as CloudFront serves it from the image bucket. */
  readonly getImage?: (key: string) => Promise<ImageObject | undefined>;
  /** A WebSocket upgrade (API Gateway's WebSocket APIs); answers false for a path none serves. */
  readonly upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => Promise<boolean>;
}

export interface ApiServerOptions {
  readonly port: number;
  readonly host?: string;
  /** The built gallery, served on `/`. */
  readonly webRoot?: string;
  /** Local-only JSON endpoints under `/__local/` (never deployed), by path. */
  readonly local?: Readonly<Record<string, (url: URL) => unknown>>;
  readonly log?: (line: string) => void;
  /**
   * Told of every answer under `/api/` (API Gateway's side of CloudFront), after it is sent.
   * The gallery's files, `/img/*` and `/__local/*` are not the API and are not told.
   */
  readonly onResponse?: (exchange: ApiExchange) => void;
}

// API Gateway refuses payloads over 10 MB before any function runs.
const gatewayMaxBytes = 10 * 1024 * 1024;
// A synchronous Lambda invocation carries at most 6 MB of event and of response.
export const lambdaPayloadMaxBytes = 6 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
};

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > gatewayMaxBytes) {
        reject(new PayloadTooLargeError('The request body is larger than the API accepts (10 MB).'));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * The headers API Gateway sends for a Lambda result: a header whose value is `undefined` or
 * `null` (middy unsets `server` and `x-powered-by` that way) is absent from the JSON Lambda
 * returns, so it is absent here too, not the text "undefined".
 */
export function resultHeaders(
  result: APIGatewayProxyStructuredResultV2,
  requestId: string,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = String(value);
  }
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  if (result.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  return headers;
}

/** One answer of the API as it left the server, for whoever watches them (tests check them against the OpenAPI document). */
export interface ApiExchange {
  readonly method: string;
  /** The path as requested, without the query. */
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** The body as text (undefined when there is none). */
  readonly body?: string;
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string) {
  const headers = resultHeaders(result, requestId);
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
  return { status: result.statusCode ?? 200, headers, body: body?.toString('utf8') };
}

/** Whether CloudFront would send the path to the API: one of its patterns matches (`*` any run of characters). */
function goesToApi(patterns: readonly string[], pathname: string): boolean {
  return patterns.some((pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`).test(pathname),
  );
}

/** A handler may answer a bare object; API Gateway then sends it as a 200 JSON body. */
function asStructured(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result)
    return result as APIGatewayProxyStructuredResultV2;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result),
  };
}

async function serveStatic(webRoot: string, urlPath: string, response: ServerResponse) {
  const root = path.resolve(webRoot);
  let file = path.resolve(root, `.${decodeURIComponent(urlPath)}`);
  if (!file.startsWith(root)) file = path.join(root, 'index.html');
  if (!existsSync(file) || file === root || urlPath.endsWith('/')) file = path.join(root, 'index.html');
  if (!existsSync(file)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  response
    .writeHead(200, { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' })
    .end(await readFile(file));
}

/**
 * Serves `/api/*` the way API Gateway and Lambda do: the template's routes pick the
 * function, a route's JWT authorizer runs before any handler, the handler gets a
 * payload-2.0 event, and Lambda's 6 MB payload limits hold both ways. `/img/*` and `/`
 * stand in for CloudFront's other origins.
 */
export async function startApiServer(options: ApiServerOptions) {
  const log = options.log ?? (() => undefined);
  // The server listens first, so that its URL (the site's) is known when the stack is built.
  let app: (ApiApp & { match: ReturnType<typeof compileRoutes<ApiRoute>> }) | undefined;

  async function handleApi(
    request: IncomingMessage,
    url: URL,
    requestId: string,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    if (!app) return errorResponse(new HttpError(503, 'UNAVAILABLE', 'Easel is still starting.'), requestId);
    const { invoke, authorize } = app;
    const method = request.method ?? 'GET';
    const found = app.match(method, url.pathname);
    if (!found)
      return errorResponse(new HttpError(404, 'NOT_FOUND', `No route ${method} ${url.pathname}.`), requestId);
    const body = await readBody(request);
    const claims = found.route.authorizer
      ? await authorize(found.route, request.headers.authorization)
      : undefined;
    const event = toApiEvent({
      method,
      url,
      headers: { ...request.headers, ...app.originHeaders },
      body,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      match: found,
      requestId,
      claims,
      scopes: typeof claims?.scope === 'string' ? claims.scope.split(' ') : undefined,
    });
    if (Buffer.byteLength(JSON.stringify(event)) > lambdaPayloadMaxBytes) {
      throw new PayloadTooLargeError(
        'The request is larger than the API accepts (6 MB with its encoding); send files over 4 MB with POST /api/uploads.',
      );
    }
    const result = asStructured(await invoke(found.route.function, event));
    if (Buffer.byteLength(JSON.stringify(result)) > lambdaPayloadMaxBytes) {
      log(`${found.route.function} answered more than Lambda's 6 MB response limit`);
      return errorResponse(
        new HttpError(500, 'INTERNAL', 'The response was larger than the API can send.'),
        requestId,
      );
    }
    return result;
  }

  async function handleImage(url: URL, response: ServerResponse) {
    const key = decodeURIComponent(url.pathname.slice(1));
    const object = await app?.getImage?.(key);
    if (!object) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    response
      .writeHead(200, {
        'content-type': object.contentType ?? 'application/octet-stream',
        'cache-control': 'public, max-age=31536000, immutable',
      })
      .end(object.body);
  }

  const server = http.createServer(async (request, response) => {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const requestId = gatewayRequestId();
    try {
      if (url.pathname === '/api' || goesToApi(app?.apiPathPatterns ?? ['/api/*'], url.pathname)) {
        const result = await handleApi(request, url, requestId).catch((error: unknown) => {
          const refused = httpErrorOf(error);
          if (refused) return errorResponse(refused, requestId);
          const detail =
            error instanceof FunctionError
              ? `${error.message}${error.remoteStack ? `\n${error.remoteStack}` : ''}`
              : error instanceof Error
                ? error.stack
                : String(error);
          log(`${request.method} ${url.pathname} failed: ${detail}`);
          return errorResponse(
            new HttpError(500, 'INTERNAL', 'The function failed; see the dev log.'),
            requestId,
          );
        });
        const sent = send(response, result, requestId);
        options.onResponse?.({ method: request.method ?? 'GET', path: url.pathname, ...sent });
      } else if (options.local?.[url.pathname]) {
        response
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(options.local[url.pathname]!(url)));
      } else if (url.pathname.startsWith('/img/')) {
        await handleImage(url, response);
      } else if (options.webRoot) {
        await serveStatic(options.webRoot, url.pathname, response);
      } else {
        response.writeHead(404).end();
      }
    } catch (error) {
      log(
        `${request.method} ${url.pathname} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!response.headersSent) response.writeHead(500);
      response.end();
    }
    log(`${request.method} ${url.pathname} ${response.statusCode} ${Date.now() - started}ms`);
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const upgrade = app?.upgrade;
    if (!upgrade) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    upgrade(request, socket, head)
      .then((handled) => {
        if (!handled) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      })
      .catch((error: unknown) => {
        log(`upgrade ${request.url} failed: ${error instanceof Error ? error.stack : String(error)}`);
        socket.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    port: address.port,
    serve: (served: ApiApp) => {
      app = { ...served, match: compileRoutes(served.routes) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;
