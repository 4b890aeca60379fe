import autocannon from 'autocannon';
import { sharedCaches } from '../../shared/http/cache-control.ts';
import { startCachingProxy } from '../edge/caching-proxy.ts';
import { type CachePolicySettings, cachePolicyOfBehaviour } from '../edge/cloudfront-cache.ts';
import { startEmulator } from '../emulator/emulator.ts';
import { latestCode } from '../local-runtime/mailbox.ts';
import { startLocalStack } from '../local-stack.ts';
import { difference, startCountingProxy } from './counting-proxy.ts';
import { call, until } from './http.ts';
import { round } from './stats.ts';

export interface EdgeRun {
  readonly label: string;
  readonly requests: number;
  readonly seconds: number;
  readonly non2xx: number;
  readonly originCalls: number;
  readonly hits: number;
  readonly staleHits: number;
  readonly dynamoCalls: number;
  readonly dynamoByOperation: Readonly<Record<string, number>>;
}

export interface EdgeSimulation {
  readonly policy: CachePolicySettings;
  readonly runs: readonly EdgeRun[];
  readonly publicImages: number;
}

/**
 * The gallery behind a stand-in for CloudFront: the whole local stack (moto, the functions
 * from their sources), the /api/* cache policy read from its synthesized template, and a
 * caching proxy that honours it and the API's Cache-Control (scripts/edge/caching-proxy.ts).
 * `requests` anonymous requests spread over `seconds` go through it, first straight to the
 * origin for comparison, then through the cache, then with a token each; the origin calls
 * and the DynamoDB calls (counted at the emulator) of each run are returned.
 */
export async function simulateEdge(options: { requests: number; seconds: number; connections?: number }) {
  const emulator = await startEmulator({ port: 0 });
  const counting = await startCountingProxy(emulator.endpoint);
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = counting.url;
  const stack = await startLocalStack({ port: 0, prefix: 'edge', stackFile: false, fakeProvider: true });
  try {
    const policy = cachePolicyOfBehaviour(stack.assembly.stateless.template, '/api/*');
    const email = 'edge@example.com';
    const password = 'Edge-Bench-2026';
    await call(stack.url, 'POST', '/api/auth/signup', { email, password });
    const code = await latestCode(stack.url, email, 'signup');
    await call(stack.url, 'POST', '/api/auth/confirm', { email, code });
    const token = (await call(stack.url, 'POST', '/api/auth/login', { email, password })).json
      .accessToken as string;

    // A gallery to read: four generated images, shared.
    const accepted = await call(
      stack.url,
      'POST',
      '/api/generations',
      { prompt: 'a lighthouse', n: 4 },
      token,
    );
    if (accepted.status !== 202) throw new Error(`generation refused: ${JSON.stringify(accepted.json)}`);
    const job = await until('the images', async () => {
      const answer = (await call(stack.url, 'GET', `/api/jobs/${accepted.json.jobId}`, undefined, token))
        .json;
      if (answer.status === 'FAILED') throw new Error(`job failed: ${JSON.stringify(answer.error)}`);
      return answer.status === 'SUCCEEDED' ? answer : undefined;
    });
    for (const imageId of job.imageIds as string[]) {
      const shared = await call(stack.url, 'POST', `/api/images/${imageId}/share`, undefined, token);
      if (shared.status !== 200) throw new Error(`share refused: ${JSON.stringify(shared.json)}`);
    }

    const edge = await startCachingProxy(stack.url, policy);
    const runs: EdgeRun[] = [];
    const load = async (label: string, url: string, headers: Record<string, string>, requests: number) => {
      const before = counting.snapshot();
      const cacheBefore = edge.counts();
      const started = performance.now();
      const result = await autocannon({
        url: `${url}/api/gallery`,
        connections: options.connections ?? 10,
        amount: requests,
        overallRate: requests / options.seconds,
        headers,
      });
      const seconds = (performance.now() - started) / 1000;
      const calls = difference(counting.snapshot(), before);
      const dynamo = [...calls].filter(([operation]) => operation.startsWith('DynamoDB.'));
      const cacheAfter = edge.counts();
      const throughEdge = url === edge.url;
      runs.push({
        label,
        requests: result.requests.total,
        seconds: round(seconds),
        non2xx: result.non2xx + result.errors,
        originCalls: throughEdge ? cacheAfter.originCalls - cacheBefore.originCalls : result.requests.total,
        hits: throughEdge ? cacheAfter.hits - cacheBefore.hits : 0,
        staleHits: throughEdge ? cacheAfter.staleHits - cacheBefore.staleHits : 0,
        dynamoCalls: dynamo.reduce((sum, [, count]) => sum + count, 0),
        dynamoByOperation: Object.fromEntries(dynamo),
      });
    };
    await load('anonymous, straight to the origin (no cache)', stack.url, {}, options.requests);
    await load('anonymous, through the edge cache', edge.url, {}, options.requests);
    // Each signed-in reader's answers are private: all of them reach the origin.
    await load(
      'signed in (Authorization), through the edge cache',
      edge.url,
      { authorization: `Bearer ${token}` },
      Math.min(options.requests, 200),
    );
    await edge.close();
    return { policy, runs, publicImages: job.imageIds.length } satisfies EdgeSimulation;
  } finally {
    await stack.stop();
    await counting.close();
    await emulator.stop();
    if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = previousEndpoint;
  }
}

/** Prints a simulation's figures beside what docs/capacity.md predicts for them. */
export function printEdgeSimulation(
  simulation: EdgeSimulation,
  options: { requests: number; seconds: number },
) {
  const { policy, runs } = simulation;
  console.log(
    `  /api/* cache policy from the template: TTL min ${policy.minTtl} s, default ${policy.defaultTtl} s, max ${policy.maxTtl} s; key: path, query strings (${policy.queryStrings}), headers (${policy.headers.join(', ')}), cookies (${policy.cookies})`,
  );
  console.log(
    `  ${options.requests} requests of GET /api/gallery over ${options.seconds} s, ${simulation.publicImages} public images\n`,
  );
  console.log(
    `  ${'run'.padEnd(50)} ${'requests'.padStart(8)} ${'seconds'.padStart(8)} ${'hits'.padStart(6)} ${'stale'.padStart(6)} ${'origin'.padStart(7)} ${'DynamoDB'.padStart(9)} ${'req per DynamoDB call'.padStart(22)}`,
  );
  for (const run of runs) {
    const perCall = run.dynamoCalls ? String(round(run.requests / run.dynamoCalls, 1)) : '∞';
    console.log(
      `  ${run.label.padEnd(50)} ${String(run.requests).padStart(8)} ${String(run.seconds).padStart(8)} ${String(run.hits).padStart(6)} ${String(run.staleHits).padStart(6)} ${String(run.originCalls).padStart(7)} ${String(run.dynamoCalls).padStart(9)} ${perCall.padStart(22)}${run.non2xx ? `  (${run.non2xx} not 2xx)` : ''}`,
    );
  }
  const cached = runs[1];
  if (cached) {
    const live = sharedCaches.live.sharedMaxAge;
    console.log(
      `\n  Through the cache, DynamoDB calls by operation: ${JSON.stringify(cached.dynamoByOperation)}`,
    );
    console.log(
      `  docs/capacity.md predicts about one origin call per ${live} s (s-maxage) per page: ${Math.ceil(cached.seconds / live) + 1} over these ${cached.seconds} s`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argument = (name: string, fallback: number) => {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const options = { requests: argument('requests', 1500), seconds: argument('seconds', 15) };
  console.log('Edge simulation: the gallery behind a stand-in for CloudFront (local runtime, moto)');
  printEdgeSimulation(await simulateEdge(options), options);
}
