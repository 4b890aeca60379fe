import { randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { WebSocketApiDefinition } from '../assembly/runtime-model.ts';
import type { ProxiedRequest } from '../emulator/recording-proxy.ts';
import type { InvokeFunction } from './http-server.ts';

interface Connection {
  readonly id: string;
  readonly api: WebSocketApiDefinition;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  lastActiveAt: number;
}

export interface WebSocketGatewayOptions {
  readonly apis: readonly WebSocketApiDefinition[];
  readonly region: string;
  readonly invoke: InvokeFunction;
  /** The site's host, as API Gateway's `domainName` is the API's. */
  readonly domainName: string;
  /** Each call to the management API, as the functions signed it (the IAM audit checks them). */
  readonly onManagementCall?: (request: ProxiedRequest) => void;
  readonly log?: (line: string) => void;
}

const managementPath = /^\/([^/]+)\/([^/]+)\/@connections\/([^/?]+)$/;
// API Gateway allows 128 KB per WebSocket frame, and 32 KB per message to a route.
const maxPayloadBytes = 128 * 1024;

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Refused'}`;
}

function bodyOf(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function firstValues(headers: IncomingMessage['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]],
    ),
  );
}

/**
 * API Gateway's WebSocket APIs, as the template configures them: upgrades on the path
 * CloudFront serves each on, `$connect`/`$disconnect`/`$default` events to the functions
 * behind the routes (a `$connect` answered with a status other than 2xx refuses the
 * upgrade with that status), and the management API (`@connections`) on an endpoint of its
 * own, where a gone connection answers 410 as in AWS.
 */
export async function startWebSocketGateway(options: WebSocketGatewayOptions) {
  const log = options.log ?? (() => undefined);
  const connections = new Map<string, Connection>();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes });

  const context = (
    connection: Pick<Connection, 'id' | 'api' | 'connectedAt' | 'sourceIp' | 'userAgent'>,
    routeKey: string,
    eventType: 'CONNECT' | 'DISCONNECT' | 'MESSAGE',
  ) => {
    const now = Date.now();
    return {
      routeKey,
      eventType,
      messageDirection: 'IN',
      extendedRequestId: randomUUID(),
      requestId: randomUUID(),
      requestTime: new Date(now).toUTCString(),
      requestTimeEpoch: now,
      stage: connection.api.stage,
      connectedAt: connection.connectedAt,
      connectionId: connection.id,
      domainName: options.domainName,
      apiId: connection.api.apiId,
      identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    };
  };

  const invokeRoute = async (api: WebSocketApiDefinition, routeKey: string, event: unknown) => {
    const name = api.routes[routeKey];
    if (!name) return undefined;
    return (await options.invoke(name, event)) as { statusCode?: number; body?: string } | undefined;
  };

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const api = options.apis.find((candidate) => candidate.path === url.pathname);
    if (!api) return false;
    const connection = {
      id: randomBytes(12).toString('base64'),
      api,
      connectedAt: Date.now(),
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      userAgent: String(request.headers['user-agent'] ?? ''),
    };
    // CloudFront replaces a viewer's header of the origin secret's name with its own.
    const headers = { ...firstValues(request.headers), ...api.originHeaders };
    const query = Object.fromEntries(url.searchParams);
    let status = 500;
    let body = '';
    try {
      const result = await invokeRoute(api, '$connect', {
        headers,
        multiValueHeaders: Object.fromEntries(
          Object.entries(headers).map(([name, value]) => [name, [value]]),
        ),
        ...(url.searchParams.size > 0
          ? {
              queryStringParameters: query,
              multiValueQueryStringParameters: Object.fromEntries(
                [...new Set(url.searchParams.keys())].map((key) => [key, url.searchParams.getAll(key)]),
              ),
            }
          : {}),
        requestContext: context(connection, '$connect', 'CONNECT'),
        isBase64Encoded: false,
      });
      // No $connect route lets every upgrade through.
      status = result?.statusCode ?? 200;
      body = result?.body ?? '';
    } catch (error) {
      log(`${api.path} $connect failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (status < 200 || status >= 300) {
      socket.end(
        `${statusLine(status)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      log(`GET ${api.path} ${status} (upgrade refused)`);
      return true;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      const open: Connection = { ...connection, socket: webSocket, lastActiveAt: Date.now() };
      connections.set(open.id, open);
      log(`GET ${api.path} 101 (connection ${open.id})`);
      webSocket.on('message', (data, isBinary) => {
        open.lastActiveAt = Date.now();
        const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        void invokeRoute(api, '$default', {
          body: isBinary ? buffer.toString('base64') : buffer.toString('utf8'),
          isBase64Encoded: isBinary,
          requestContext: { ...context(open, '$default', 'MESSAGE'), messageId: randomUUID() },
        }).catch((error: unknown) => log(`${api.path} $default failed: ${String(error)}`));
      });
      webSocket.on('close', (code, reason) => {
        connections.delete(open.id);
        void invokeRoute(api, '$disconnect', {
          headers: { Host: options.domainName },
          requestContext: {
            ...context(open, '$disconnect', 'DISCONNECT'),
            disconnectStatusCode: code,
            disconnectReason: reason.toString('utf8'),
          },
          isBase64Encoded: false,
        }).catch((error: unknown) => log(`${api.path} $disconnect failed: ${String(error)}`));
      });
    });
    return true;
  }

  const management = http.createServer(async (request, response) => {
    const body = await bodyOf(request);
    const match = managementPath.exec(request.url ?? '');
    const api =
      match && options.apis.find((candidate) => candidate.apiId === match[1] && candidate.stage === match[2]);
    const answer = (status: number, payload?: unknown, errorType?: string) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
      options.onManagementCall?.({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body,
        status,
      });
    };
    if (!match || !api) {
      answer(404, { message: 'Not Found' }, 'NotFoundException');
      return;
    }
    const connection = connections.get(decodeURIComponent(match[3]!));
    if (!connection || connection.api !== api) {
      answer(410, { message: 'Gone' }, 'GoneException');
      return;
    }
    switch (request.method) {
      case 'POST':
        if (body.length > maxPayloadBytes) {
          answer(413, { message: 'Message too long' }, 'PayloadTooLargeException');
          return;
        }
        connection.socket.send(body.toString('utf8'));
        answer(200);
        return;
      case 'DELETE':
        connection.socket.close(1000);
        answer(204);
        return;
      case 'GET':
        answer(200, {
          ConnectedAt: new Date(connection.connectedAt).toISOString(),
          LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
          Identity: { SourceIp: connection.sourceIp, UserAgent: connection.userAgent },
        });
        return;
      default:
        answer(405, { message: 'Method Not Allowed' });
    }
  });
  await new Promise<void>((resolve) => management.listen(0, '127.0.0.1', resolve));
  const managementUrl = `http://127.0.0.1:${(management.address() as AddressInfo).port}`;

  return {
    /** `https://<api>.execute-api.<region>.amazonaws.com` → the local management endpoint of that API. */
    localEndpoints: (text: string) =>
      options.apis.reduce(
        (value, api) =>
          value.replaceAll(
            `https://${api.apiId}.execute-api.${options.region}.amazonaws.com`,
            `${managementUrl}/${api.apiId}`,
          ),
        text,
      ),
    upgrade,
    /** The open connections' ids (tests look at them). */
    connectionIds: () => [...connections.keys()],
    close: async () => {
      for (const connection of connections.values()) connection.socket.terminate();
      sockets.close();
      await new Promise<void>((resolve) => {
        management.close(() => resolve());
        management.closeAllConnections();
      });
    },
  };
}

export type WebSocketGateway = Awaited<ReturnType<typeof startWebSocketGateway>>;
