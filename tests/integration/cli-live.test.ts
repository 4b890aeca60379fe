import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

const launcher = path.resolve(import.meta.dirname, '../../cli/easel.mjs');

/** How often each function served each route key (HTTP and WebSocket). */
const invocations = new Map<string, number>();
const countOf = (key: string) => invocations.get(key) ?? 0;

describe('easel generate --wait, on the live-updates socket', () => {
  let stack: RunningLocalStack;
  let run: (...argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  let token: string;
  const held: WebSocket[] = [];
  const email = 'cli-live@example.com';
  const password = 'Correct-Horse-9';

  beforeAll(async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'easel-cli-live-'));
    const stackFile = path.join(work, 'stack.json');
    stack = await startTestStack({
      stackFile,
      onInvoked: (_name, event) => {
        const { routeKey } = (event as { routeKey?: string; requestContext?: { routeKey?: string } }) ?? {};
        const key =
          routeKey ?? (event as { requestContext?: { routeKey?: string } })?.requestContext?.routeKey;
        if (key) invocations.set(key, countOf(key) + 1);
      },
    });
    token = (await apiClient(stack.url).newUser(email, password)).token;
    const env = {
      EASEL_ENDPOINT: stack.url,
      EASEL_LOCAL_STACK: stackFile,
      XDG_CONFIG_HOME: path.join(work, 'config'),
    };
    run = (...argv) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [launcher, ...argv],
          { env: { ...process.env, ...env }, timeout: 90_000 },
          (error, stdout, stderr) =>
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
        );
      });
    expect((await run('login', '--email', email, '--password', password)).code).toBe(0);
  });
  afterAll(async () => {
    for (const socket of held) socket.terminate();
    await stack?.stop();
  });

  it('waits on the socket: the job is read once, then its end arrives as a message', async () => {
    const connects = countOf('$connect');
    const reads = countOf('GET /api/jobs/{jobId}');
    const generate = await run('generate', 'a slow tide [fake:slow=1500]', '--wait', '--json');
    expect(generate.stderr).toBe('');
    expect(generate.code).toBe(0);
    const job = JSON.parse(generate.stdout);
    expect(job).toMatchObject({ status: 'SUCCEEDED', type: 'generation', imageIds: [expect.any(String)] });
    expect(countOf('$connect') - connects).toBe(1);
    expect(countOf('GET /api/jobs/{jobId}') - reads).toBe(1);
  });

  it('polls instead when the socket is refused, and still prints the finished job', async () => {
    // Ten sockets of the user open already (other tabs): the command's is refused (429).
    const api = apiClient(stack.url);
    for (let index = 0; index < 10; index++) {
      const { ticket } = (await api.call('POST', '/api/live/ticket', { token })).json;
      const socket = new WebSocket(
        `${stack.url.replace(/^http/, 'ws')}/api/live?ticket=${encodeURIComponent(ticket)}`,
      );
      held.push(socket);
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
    }
    const reads = countOf('GET /api/jobs/{jobId}');
    const connects = countOf('$connect');
    // Slow enough that a poll finds it under way before it is done.
    const generate = await run('generate', 'a slow reef [fake:slow=5000]', '--wait', '--json');
    expect(generate.code).toBe(0);
    expect(JSON.parse(generate.stdout)).toMatchObject({ status: 'SUCCEEDED' });
    expect(countOf('$connect') - connects).toBe(1);
    expect(countOf('GET /api/jobs/{jobId}') - reads).toBeGreaterThan(1);
  });
});
