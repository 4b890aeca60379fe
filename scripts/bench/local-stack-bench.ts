import { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import type { SQSEvent } from 'aws-lambda';
import sharp from 'sharp';
import { startEmulator } from '../emulator/emulator.ts';
import { latestCode } from '../local-runtime/mailbox.ts';
import { type LocalStackOptions, startLocalStack } from '../local-stack.ts';
import { difference, startCountingProxy } from './counting-proxy.ts';
import { call, until } from './http.ts';
import { liveUpdateTargets, measureLiveUpdates, succeededWrites } from './live-updates-bench.ts';
import { median, percentile, round } from './stats.ts';

type RunningStack = Awaited<ReturnType<typeof startLocalStack>>;

/**
 * Peak resident memory (VmHWM) of each worker's processes after its heaviest work, and of
 * api-catalogue, which does next to nothing, as the floor of a function process here.
 * Locally the functions run from TypeScript through tsx, which a bundle on Lambda does
 * not carry, so these are upper bounds of what Lambda's memory size must cover.
 */
async function measureWorkerMemory(stack: RunningStack, token: string) {
  const peak = (name: string) => {
    const mb = stack.peakMemoryMb(name);
    if (mb === undefined) throw new Error(`no peak memory for ${name}: /proc is not readable here`);
    return Math.round(mb);
  };
  const images = async (n: number, size: string) => {
    const answer = await call(
      stack.url,
      'POST',
      '/api/generations',
      { prompt: 'a busy market', n, size },
      token,
    );
    if (answer.status !== 202) throw new Error(`generation refused: ${JSON.stringify(answer.json)}`);
    return until(`job ${answer.json.jobId}`, async () => {
      const job = (await call(stack.url, 'GET', `/api/jobs/${answer.json.jobId}`, undefined, token)).json;
      if (job.status === 'FAILED') throw new Error(`job failed: ${JSON.stringify(job.error)}`);
      return job.status === 'SUCCEEDED' ? job : undefined;
    });
  };
  await images(4, '1536x1024');
  const workerJobs = peak('worker-jobs');

  const { width, height } = largestUpload;
  const file = await sharp({ create: { width, height, channels: 3, background: '#4a7a9c' } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const ticket = await call(
    stack.url,
    'POST',
    '/api/uploads',
    { contentType: 'image/jpeg', contentLength: file.length, purpose: 'describe' },
    token,
  );
  if (ticket.status !== 201) throw new Error(`upload refused: ${JSON.stringify(ticket.json)}`);
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.json.fields as Record<string, string>))
    form.append(name, value);
  form.append('file', new Blob([file], { type: 'image/jpeg' }), 'large.jpg');
  const stored = await fetch(ticket.json.url, { method: 'POST', body: form });
  if (!stored.ok) throw new Error(`storage refused the upload: ${stored.status}`);
  await until('the upload described', async () => {
    const image = (await call(stack.url, 'GET', `/api/images/${ticket.json.imageId}`, undefined, token)).json;
    if (image.status === 'FAILED') throw new Error(`upload failed: ${JSON.stringify(image.error)}`);
    return image.status === 'READY' && image.descriptionStatus !== 'PENDING' ? image : undefined;
  });
  return {
    workerJobsMb: workerJobs,
    workerUploadsMb: peak('worker-uploads'),
    workerJobsAfterDescribingMb: peak('worker-jobs'),
    floorMb: peak('api-catalogue'),
  };
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

/** The largest upload the API takes: just under 40 megapixels, as a JPEG. */
export const largestUpload = { width: 7680, height: 5200 };

/**
 * The whole local stack with the fake provider at zero latency, its AWS calls counted by
 * a proxy in front of the emulator: HTTP throughput, the time and calls each generation
 * takes from POST /api/generations to SUCCEEDED, and the peak memory of the workers on
 * their heaviest work (4 images of 1536×1024 with thumbnails; a 40-megapixel upload).
 */
export async function benchLocalStack(jobs = 20, stackOptions: Partial<LocalStackOptions> = {}) {
  const emulator = await startEmulator({ port: 0 });
  // When each job's SUCCEEDED write was answered by the emulator: what the socket's message is timed from.
  const written = succeededWrites();
  const proxy = await startCountingProxy(emulator.endpoint, written.record);
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
    ...stackOptions,
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
    const live = await measureLiveUpdates({ url: stack.url, token, jobs, succeededAt: written.at });
    const memory = await measureWorkerMemory(stack, token);
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
      live: { ...live, targets: liveUpdateTargets },
      memory,
    };
  } finally {
    await stack.stop();
    await proxy.close();
    await emulator.stop();
    if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = previousEndpoint;
  }
}
