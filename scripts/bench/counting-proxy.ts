import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the AWS endpoint that counts every call by service and
 * operation, so the calls a job makes are counted rather than guessed.
 */
export async function startCountingProxy(target: string) {
  const upstream = new URL(target);
  const counts = new Map<string, number>();

  function operationOf(request: http.IncomingMessage): string {
    const amzTarget = request.headers['x-amz-target'];
    if (typeof amzTarget === 'string') {
      const [service, operation] = amzTarget.split('.');
      return `${service?.startsWith('DynamoDB') ? 'DynamoDB' : service?.replace(/^Amazon/, '')}.${operation}`;
    }
    const url = new URL(request.url ?? '/', 'http://proxy');
    const action = url.searchParams.get('Action');
    if (action) return `Query.${action}`;
    return `S3.${request.method} ${url.pathname.split('/').length > 2 ? 'object' : 'bucket'}`;
  }

  const server = http.createServer((request, response) => {
    const operation = operationOf(request);
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => response.writeHead(502).end());
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    snapshot: () => new Map(counts),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The calls made between two snapshots. */
export function difference(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  for (const [operation, count] of after) {
    const made = count - (before.get(operation) ?? 0);
    if (made > 0) result.set(operation, made);
  }
  return result;
}
