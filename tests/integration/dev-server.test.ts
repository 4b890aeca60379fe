import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../support/json.ts';
import { isListening } from './support/ports.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** The process's command line, or undefined once it has ended (a zombie's is empty). */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') || undefined;
  } catch {
    return undefined;
  }
}

/** Every process below `root` right now, read from the parent ids in /proc/<pid>/stat. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (command) state ppid …": the command may hold spaces and parentheses.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const next = children.get(pending.pop()!) ?? [];
    found.push(...next);
    pending.push(...next);
  }
  return found;
}

/** The URL a log line of `npm run dev` names, e.g. "[easel] ready: http://127.0.0.1:40123 …". */
function loggedUrl(output: string, line: RegExp): URL {
  const url = output.match(line)?.[1];
  if (!url) throw new Error(`no line matching ${line} in:\n${output}`);
  return new URL(url);
}

describe('npm run dev', () => {
  let child: ChildProcess;
  let url: URL;
  let emulatorUrl: URL;
  let output = '';

  // Started as on a developer's machine, but with every port left to the kernel (PORT=0,
  // EMULATOR_PORT=0): the ports actually bound are read back from the log.
  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', EMULATOR_PORT: '0' };
    delete env.AWS_ENDPOINT_URL;
    delete env.OPENAI_API_KEY;
    // As package.json's dev script runs it: a signal reaches dev.ts itself, not a relay.
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { cwd: projectRoot, env });
    child.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    // Below the hook's own timeout, so a start that hangs fails with what it printed.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev did not start:\n${output}`)), 210_000);
      child.stdout!.on('data', () => {
        if (output.includes('ready:')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`dev exited with ${code}:\n${output}`)));
    });
    url = loggedUrl(output, /\[easel\] ready: (http:\/\/\S+)/);
    emulatorUrl = loggedUrl(output, /\[easel\] emulator \(moto\) on (http:\/\/\S+)/);
  }, 240_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints its URL and the emulator’s, each on a port of its own, and says it uses the fake model provider', () => {
    expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulatorUrl.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url.port).not.toBe(emulatorUrl.port);
    expect(output).toMatch(/no OPENAI_API_KEY set: using the fake model provider/);
  });

  it('answers /api/health and /api/openapi.json', async () => {
    const health = await fetch(new URL('/api/health', url));
    expect(health.status).toBe(200);
    expect(await readJson(health)).toEqual({ status: 'ok' });
    const openapi = await readJson(await fetch(new URL('/api/openapi.json', url)));
    expect(openapi.openapi).toBe('3.1.0');
  });

  it('prints each e-mailed code in its log, as the local mailbox lists it', async () => {
    const email = 'dev.log@example.com';
    const signUp = await fetch(new URL('/api/auth/signup', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'Correct-Horse-9' }),
    });
    expect(signUp.status).toBe(201);
    const mail = await readJson(await fetch(new URL(`/__local/mail?to=${email}`, url)));
    expect(mail.items).toHaveLength(1);
    await expect.poll(() => output).toContain(`[easel] mail to ${email}: sign-up code ${mail.items[0].code}`);
  });

  it('stops every process it started and frees its ports on SIGTERM', async () => {
    const started = descendants(child.pid!);
    expect(started.map(commandLine).filter((line) => line?.includes('moto.server'))).toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
    expect(await isListening(Number(url.port))).toBe(false);
    expect(await isListening(Number(emulatorUrl.port))).toBe(false);
    expect(started.filter((pid) => commandLine(pid) !== undefined)).toEqual([]);
  });
});
