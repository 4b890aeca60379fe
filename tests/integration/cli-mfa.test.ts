import { execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { authenticator } from '../support/totp.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

const launcher = path.resolve(import.meta.dirname, '../../cli/easel.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let stack: RunningLocalStack;
let env: Record<string, string>;
const email = 'cli-mfa@example.com';
const password = 'Correct-Horse-9';

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'easel-cli-mfa-'));
  stack = await startTestStack({ pollQueues: false });
  await apiClient(stack.url).newUser(email, password);
  env = { EASEL_ENDPOINT: stack.url, XDG_CONFIG_HOME: path.join(work, 'config') };
});
afterAll(() => stack?.stop());

function easel(...argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [launcher, ...argv],
      { env: { ...process.env, ...env }, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * The command line with a person at its standard input: when `prompt` shows on stderr,
 * `answer` is given what was printed so far and its reply is typed in.
 */
function easelAnswering(argv: string[], prompt: string, answer: (stdout: string) => Promise<string>) {
  return new Promise<Run>((resolve) => {
    const child = spawn(process.execPath, [launcher, ...argv], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', async (chunk) => {
      stderr += chunk;
      if (answered || !stderr.includes(prompt)) return;
      answered = true;
      child.stdin.write(`${await answer(stdout)}\n`);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// moto checks codes against one fixed secret with no leeway and does not remember used ones;
// each code here is of a step not used before all the same, as Cognito requires.
describe('easel with MFA', () => {
  let app: ReturnType<typeof authenticator>;

  it('turns MFA on: prints the secret and its otpauth URI, then takes the authenticator’s code', async () => {
    expect((await easel('login', '--email', email, '--password', password)).code).toBe(0);
    const enable = await easelAnswering(
      ['account', 'mfa', 'enable'],
      'Code from your authenticator app: ',
      async (stdout) => {
        const secret = /secret: (\S+)/.exec(stdout)?.[1];
        if (!secret) throw new Error(`no secret printed: ${stdout}`);
        app = authenticator(secret);
        return app.code();
      },
    );
    expect(enable.stderr).toContain('MFA is on');
    expect(enable.code).toBe(0);
    expect(enable.stdout).toMatch(/otpauth URI: otpauth:\/\/totp\/Easel:/);
    expect((await easel('whoami')).stdout).toContain('MFA: on');
  });

  it('logs in with --code, and refuses a wrong one with the API’s error', async () => {
    const wrong = await easel('login', '--email', email, '--password', password, '--code', app.wrongCode());
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('CODE_MISMATCH');
    const right = await easel('login', '--email', email, '--password', password, '--code', await app.code());
    expect(right.stderr).toContain(`Logged in to ${stack.url}`);
    expect(right.code).toBe(0);
    expect(JSON.parse((await easel('whoami', '--json')).stdout)).toMatchObject({ email, mfaEnabled: true });
  });

  it('asks for the code when it is not given', async () => {
    const login = await easelAnswering(
      ['login', '--email', email, '--password', password],
      'Code from your authenticator app: ',
      () => app.code(),
    );
    expect(login.code).toBe(0);
    expect(login.stderr).toContain('Logged in');
  });

  it('turns MFA off, after which login asks for the password only', async () => {
    const off = await easel('account', 'mfa', 'disable', '--code', await app.code());
    expect(off).toMatchObject({ code: 0 });
    expect(off.stderr).toContain('MFA is off');
    const login = await easel('login', '--email', email, '--password', password);
    expect(login.code).toBe(0);
    expect((await easel('whoami')).stdout).toContain('MFA: off');
  });
});
