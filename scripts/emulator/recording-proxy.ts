import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request on its way to the AWS endpoint, as the proxy saw it. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /**
   * The body of JSON-protocol calls (DynamoDB, SQS, Cognito, Secrets Manager) and of S3
   * POSTs (DeleteObjects, presigned POST forms); undefined for the rest, which are streamed.
   */
  readonly body?: Buffer;
  /** The endpoint's answer (502 when it could not be reached); unset before it answers. */
  readonly status?: number;
}

/** Bodies that name what a call touches; object uploads (PUT) stream through untouched. */
function needsBody(request: http.IncomingMessage): boolean {
  return typeof request.headers['x-amz-target'] === 'string' || request.method === 'POST';
}

/**
 * An HTTP proxy in front of an AWS endpoint that tells `onRequest` of every request it
 * forwards: the benchmarks count calls with it, and the tests record each function's
 * calls with it to check them against the function's IAM policy.
 */
export async function startRecordingProxy(target: string, onRequest: (request: ProxiedRequest) => void) {
  const upstream = new URL(target);

  const forward = (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    body: Buffer | undefined,
    seen: (status: number) => void,
  ) => {
    // The proxy has answered `Expect: 100-continue` itself; upstream gets the body at once.
    const { expect: _expect, ...headers } = request.headers;
    const outgoing = http.request(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers },
      (answer) => {
        seen(answer.statusCode ?? 502);
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', () => {
      seen(502);
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    if (body) outgoing.end(body);
    else request.pipe(outgoing);
  };

  const server = http.createServer((request, response) => {
    // Told once the endpoint has answered, so that a request it refused can be told apart.
    const seen = (body?: Buffer) => (status: number) =>
      onRequest({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body,
        status,
      });
    if (!needsBody(request)) {
      forward(request, response, undefined, seen());
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      forward(request, response, body, seen(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type RecordingProxy = Awaited<ReturnType<typeof startRecordingProxy>>;
