import WebSocket from 'ws';
import type { ProxiedRequest } from '../emulator/recording-proxy.ts';
import { call } from './http.ts';
import { percentile, round } from './stats.ts';

/** What the local stack should reach at p50 (figures, not assertions). */
export const liveUpdateTargets = { postToWrittenP50Ms: 150, writtenToMessageP50Ms: 100 };

/**
 * The moment the emulator answered each job's SUCCEEDED write (a TransactWriteItems that
 * sets `:succeeded` on `JOB#<id>`), seen by the proxy in front of it, on this process's clock.
 */
export function succeededWrites() {
  const at = new Map<string, number>();
  return {
    at,
    record(request: ProxiedRequest) {
      const target = request.headers['x-amz-target'];
      if (typeof target !== 'string' || !target.endsWith('.TransactWriteItems') || request.status !== 200)
        return;
      const text = request.body?.toString('utf8') ?? '';
      if (!text.includes('":succeeded"')) return;
      const body = JSON.parse(text) as {
        TransactItems: {
          Update?: {
            Key: { pk?: { S?: string } };
            ExpressionAttributeValues?: Record<string, { S?: string }>;
          };
        }[];
      };
      for (const item of body.TransactItems) {
        const pk = item.Update?.Key.pk?.S;
        if (
          pk?.startsWith('JOB#') &&
          item.Update?.ExpressionAttributeValues?.[':succeeded']?.S === 'SUCCEEDED'
        )
          at.set(pk.slice('JOB#'.length), performance.now());
      }
    },
  };
}

/**
 * `jobs` generations one after another with a live-updates socket open throughout: from
 * POST /api/generations to the SUCCEEDED write, and from that write to its message on
 * the socket.
 */
export async function measureLiveUpdates(options: {
  url: string;
  token: string;
  jobs: number;
  succeededAt: ReadonlyMap<string, number>;
}) {
  const { url, token } = options;
  const ticket = await call(url, 'POST', '/api/live/ticket', undefined, token);
  if (ticket.status !== 201) throw new Error(`no ticket: ${JSON.stringify(ticket.json)}`);
  const socket = new WebSocket(
    `${url.replace(/^http/, 'ws')}/api/live?ticket=${encodeURIComponent(ticket.json.ticket)}`,
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`the socket was refused: ${response.statusCode}`)),
    );
  });
  const received = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { jobId: string; status: string };
    if (message.status !== 'SUCCEEDED') return;
    received.set(message.jobId, performance.now());
    waiting.get(message.jobId)?.();
  });
  try {
    const run = async () => {
      const started = performance.now();
      const answer = await call(
        url,
        'POST',
        '/api/generations',
        { prompt: 'a quiet harbour at noon', n: 1 },
        token,
      );
      if (answer.status !== 202) throw new Error(`generation refused: ${JSON.stringify(answer.json)}`);
      const jobId = answer.json.jobId as string;
      if (!received.has(jobId)) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no message for job ${jobId}`)), 120_000);
          waiting.set(jobId, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const written = options.succeededAt.get(jobId);
      if (written === undefined) throw new Error(`the SUCCEEDED write of ${jobId} was not seen`);
      return { postToWritten: written - started, writtenToMessage: received.get(jobId)! - written };
    };
    await run();
    const figures = [];
    for (let index = 0; index < options.jobs; index++) figures.push(await run());
    const summary = (values: number[]) => ({
      p50Ms: round(percentile(values, 50)),
      p95Ms: round(percentile(values, 95)),
    });
    return {
      jobs: options.jobs,
      postToWritten: summary(figures.map((figure) => figure.postToWritten)),
      writtenToMessage: summary(figures.map((figure) => figure.writtenToMessage)),
    };
  } finally {
    socket.close();
  }
}
