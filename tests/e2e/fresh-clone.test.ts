import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/**
 * The repository as a clone gives it: every file git tracks or would track, nothing it ignores
 * (no web/dist, no .local). `npm ci` and the first start's pip install need the network, so
 * the clone borrows this checkout's node_modules and .venv instead.
 */
function freshClone(): string {
  const clone = mkdtempSync(path.join(tmpdir(), 'easel-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: projectRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(path.join(projectRoot, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    cpSync(path.join(projectRoot, file), path.join(clone, file));
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules'));
  symlinkSync(path.join(projectRoot, '.venv'), path.join(clone, '.venv'));
  return clone;
}

describe('a fresh clone, then npm run dev', () => {
  let clone: string;
  let child: ChildProcess;
  let browser: Browser;
  let url: string;
  let output = '';

  beforeAll(async () => {
    clone = freshClone();
    expect(existsSync(path.join(clone, 'web', 'dist'))).toBe(false);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    delete env.EMULATOR_PORT;
    delete env.AWS_ENDPOINT_URL;
    delete env.OPENAI_API_KEY;
    // Its own process group, so the test can end npm and everything below it.
    child = spawn('npm', ['run', 'dev'], { cwd: clone, env, detached: true });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (chunk) => {
        output += chunk;
      });
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run dev did not start:\n${output}`)), 150_000);
      child.stdout!.on('data', () => {
        if (output.includes('ready:')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`npm run dev exited with ${code}:\n${output}`)));
    });
    url = output.match(/\[easel\] ready: (http:\/\/\S+)/)![1]!;
    browser = await launchChromium();
  }, 170_000);

  afterAll(async () => {
    await browser?.close();
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    if (clone) rmSync(clone, { recursive: true, force: true });
  }, 60_000);

  it('builds the gallery first, saying so and how long each step takes', () => {
    expect(output).toContain('[easel] building the gallery into web/dist');
    expect(output).toMatch(/\[easel\] synthesizing the CDK app .*\(a few seconds\)/);
    expect(output).toMatch(/\[easel\] … done in \d+\.\d s/);
    expect(output).toMatch(/\[easel\] ready: \S+ {2}\(started in \d+\.\d s;/);
    expect(existsSync(path.join(clone, 'web', 'dist', 'index.html'))).toBe(true);
  });

  it('moves the emulator off its default port when only PORT is given', () => {
    const emulator = new URL(output.match(/\[easel\] emulator \(moto\) on (http:\/\/\S+)/)![1]!);
    expect(emulator.port).not.toBe('4566');
    expect(emulator.port).not.toBe(new URL(url).port);
  });

  it('serves a working gallery on / with no console error', async () => {
    const page = await browser.newPage();
    const browserConsole = watchConsole(page);
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Make images with words' }).waitFor();
    await page.getByRole('heading', { name: 'Public gallery' }).waitFor();
    await page.close();
    expect(browserConsole.problems).toEqual([]);
  });
});
