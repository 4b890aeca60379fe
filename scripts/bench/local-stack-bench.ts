import { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import type { SQSEvent } from 'aws-lambda';
import { startEmulator } from '../emulator/emulator.ts';
import { latestCode } from '../local-runtime/mailbox.ts';
import { startLocalStack } from '../local-stack.ts';
import { difference, startCountingProxy } from './counting-proxy.ts';
import { median, percentile, round } from './stats.ts';

async function call(url: string, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function load(url: string, headers: Record<string, string> = {}, seconds = 5) {
  const result = await autocannon({ url, connections: 10, duration: seconds, headers });
  return {
    requestsPerSecond: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/**
 * The whole local stack with the fake provider at zero latency, its AWS calls counted by
 * a proxy in front of the emulator: HTTP throughput, and the time and calls each
 * generation takes from POST /api/generations to SUCCEEDED.
 */
export async function benchLocalStack(jobs = 20) {
  const emulator = await startEmulator({ port: 0 });
  const proxy = await startCountingProxy(emulator.endpoint);
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = proxy.url;

  // Job ids as the worker finishes them: the moment a job is SUCCEEDED, without polling the API.
  const finished = new EventEmitter();
  const onInvoked = (name: string, event: unknown) => {
    if (name !== 'worker-jobs') return;
    for (const record of (event as SQSEvent).Records) finished.emit(JSON.parse(record.body).jobId);
  };

  const stack = await startLocalStack({
    port: 0,
    prefix: 'bench',
    stackFile: false,
    fakeProvider: true,
    onInvoked,
  });
  try {
    const email = 'bench@example.com';
    const password = 'Bench-Mark-2026';
    await call(stack.url, 'POST', '/api/auth/signup', { email, password });
    const code = await latestCode(stack.url, email, 'signup');
    await call(stack.url, 'POST', '/api/auth/confirm', { email, code });
    const token = (await call(stack.url, 'POST', '/api/auth/login', { email, password })).json
      .accessToken as string;
    await call(stack.url, 'GET', '/api/me', undefined, token);

    const health = await load(`${stack.url}/api/health`);
    const me = await load(`${stack.url}/api/me`, { authorization: `Bearer ${token}` });

    const generate = async () => {
      const started = performance.now();
      const answer = await call(
        stack.url,
        'POST',
        '/api/generations',
        { prompt: 'a quiet harbour', n: 1 },
        token,
      );
      if (answer.status !== 202) throw new Error(`generation refused: ${JSON.stringify(answer.json)}`);
      await new Promise((resolve) => finished.once(answer.json.jobId, resolve));
      return performance.now() - started;
    };
    await generate();

    const times: number[] = [];
    const calls: Map<string, number>[] = [];
    for (let i = 0; i < jobs; i++) {
      const before = proxy.snapshot();
      times.push(await generate());
      calls.push(difference(proxy.snapshot(), before));
    }
    const operations = [...new Set(calls.flatMap((c) => [...c.keys()]))].sort();
    const perJob = Object.fromEntries(
      operations.map((op) => [
        op,
        round(calls.reduce((sum, c) => sum + (c.get(op) ?? 0), 0) / calls.length, 2),
      ]),
    );
    return {
      http: { health, me },
      generation: {
        jobs,
        medianMs: round(median(times)),
        p95Ms: round(percentile(times, 95)),
        callsPerJob: perJob,
      },
    };
  } finally {
    await stack.stop();
    await proxy.close();
    await emulator.stop();
    if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = previousEndpoint;
  }
}
