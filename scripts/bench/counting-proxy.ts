import { type ProxiedRequest, startRecordingProxy } from '../emulator/recording-proxy.ts';

function operationOf(request: ProxiedRequest): string {
  const amzTarget = request.headers['x-amz-target'];
  if (typeof amzTarget === 'string') {
    const [service, operation] = amzTarget.split('.');
    return `${service?.startsWith('DynamoDB') ? 'DynamoDB' : service?.replace(/^Amazon/, '')}.${operation}`;
  }
  const url = new URL(request.url, 'http://proxy');
  const action = url.searchParams.get('Action');
  if (action) return `Query.${action}`;
  return `S3.${request.method} ${url.pathname.split('/').length > 2 ? 'object' : 'bucket'}`;
}

/**
 * A proxy in front of the AWS endpoint that counts every call by service and operation,
 * so the calls a job makes are counted rather than guessed.
 */
export async function startCountingProxy(target: string, onAnswered?: (request: ProxiedRequest) => void) {
  const counts = new Map<string, number>();
  const proxy = await startRecordingProxy(target, (request) => {
    onAnswered?.(request);
    const operation = operationOf(request);
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
  });
  return { url: proxy.url, snapshot: () => new Map(counts), close: proxy.close };
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
