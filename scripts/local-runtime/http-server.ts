import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { AppError, PayloadTooLargeError, UnauthenticatedError } from '../../shared/errors.ts';
import { errorResponse } from '../../shared/http/error-handler.ts';
import type { RouteDefinition } from '../../shared/http/route.ts';
import { compileRoutes, gatewayRequestId, lambdaContext, toApiEvent } from './api-event.ts';
import { invokeWithTimeout, type LambdaHandler } from './functions.ts';

export interface ImageObject {
  readonly body: Uint8Array;
  readonly contentType?: string;
}

export interface ApiServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly routes: readonly RouteDefinition[];
  readonly loadFunction: (name: string) => Promise<LambdaHandler>;
  readonly verifyToken: TokenVerifier;
  readonly region: string;
  /** The built gallery, served on `/`. */
  readonly webRoot?: string;
  /** `/img/<key>` as CloudFront serves it from the image bucket. */
  readonly getImage?: (key: string) => Promise<ImageObject | undefined>;
  readonly functionTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

// API Gateway refuses payloads over 10 MB before any function runs.
const gatewayMaxBytes = 10 * 1024 * 1024;

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

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string) {
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (body && !headers['content-type']) headers['content-type'] = 'application/json';
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
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
 * Serves `/api/*` the way API Gateway and Lambda do: the route table picks the function,
 * the JWT authorizer checks protected routes before any handler runs, and the handler
 * gets a payload-2.0 event. `/img/*` and `/` stand in for CloudFront's other origins.
 */
export async function startApiServer(options: ApiServerOptions) {
  const match = compileRoutes(options.routes);
  const timeoutMs = options.functionTimeoutMs ?? 29_000;
  const log = options.log ?? (() => undefined);

  async function handleApi(
    request: IncomingMessage,
    url: URL,
    requestId: string,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const method = request.method ?? 'GET';
    const found = match(method, url.pathname);
    if (!found)
      return errorResponse(new AppError(404, 'NOT_FOUND', `No route ${method} ${url.pathname}.`), requestId);
    const body = await readBody(request);
    let claims: Record<string, unknown> | undefined;
    if (found.route.auth === 'user') {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!token) throw new UnauthenticatedError('A bearer access token is required.');
      claims = (await options.verifyToken(token)).claims as Record<string, unknown>;
    }
    const event = toApiEvent({
      method,
      url,
      headers: request.headers,
      body,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      match: found,
      requestId,
      claims,
    });
    const handler = await options.loadFunction(found.route.function);
    const context = lambdaContext(found.route.function, timeoutMs, options.region);
    return asStructured(
      await invokeWithTimeout(() => handler(event as never, context), timeoutMs, found.route.function),
    );
  }

  async function handleImage(url: URL, response: ServerResponse) {
    const key = decodeURIComponent(url.pathname.slice(1));
    const object = await options.getImage?.(key);
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
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
        const result = await handleApi(request, url, requestId).catch((error: unknown) => {
          if (error instanceof AppError) return errorResponse(error, requestId);
          log(
            `${request.method} ${url.pathname} failed: ${error instanceof Error ? error.stack : String(error)}`,
          );
          return errorResponse(
            new AppError(500, 'INTERNAL', 'The function failed; see the dev log.'),
            requestId,
          );
        });
        send(response, result, requestId);
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;
