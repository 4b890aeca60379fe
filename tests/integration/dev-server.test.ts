import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../support/json.ts';
import { freePort, isListening } from './support/ports.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** Processes whose command line mentions the text (read from /proc, as `pgrep -f` does). */
function processesMatching(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('npm run dev', () => {
  let child: ChildProcess;
  let port: number;
  let emulatorPort: number;
  let output = '';

  beforeAll(async () => {
    port = await freePort();
    emulatorPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
    };
    delete env.AWS_ENDPOINT_URL;
    delete env.OPENAI_API_KEY;
    child = spawn(path.join(projectRoot, 'node_modules/.bin/tsx'), ['scripts/dev.ts'], {
      cwd: projectRoot,
      env,
    });
    child.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev did not start:\n${output}`)), 90_000);
      child.stdout!.on('data', () => {
        if (output.includes('ready:')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`dev exited with ${code}:\n${output}`)));
    });
  }, 120_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints its URL and says it uses the fake model provider', () => {
    expect(output).toContain(`ready: http://127.0.0.1:${port}`);
    expect(output).toMatch(/no OPENAI_API_KEY set: using the fake model provider/);
  });

  it('answers /api/health and /api/openapi.json', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    expect(await readJson(health)).toEqual({ status: 'ok' });
    const openapi = await readJson(await fetch(`http://127.0.0.1:${port}/api/openapi.json`));
    expect(openapi.openapi).toBe('3.1.0');
  });

  it('stops every process it started and frees its ports on SIGTERM', async () => {
    expect(processesMatching(`-p ${emulatorPort}`).length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await isListening(port)).toBe(false);
    expect(await isListening(emulatorPort)).toBe(false);
    expect(processesMatching(`-p ${emulatorPort}`)).toEqual([]);
  });
});
