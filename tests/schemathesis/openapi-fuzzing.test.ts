import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchemathesisVenv } from '../../scripts/emulator/schemathesis.ts';
import { latestCode } from '../../scripts/local-runtime/mailbox.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { startTestStack } from '../integration/support/stack.ts';

/**
 * Schemathesis fuzzes the running local stack against the OpenAPI document it serves, with
 * every check (`--checks all`), in every phase (examples, coverage, fuzzing, and stateful
 * sequences that follow the document's links), once anonymously and once as a signed-up,
 * logged-in user. Any failure fails the test, with Schemathesis's own report.
 *
 * Bounded for a busy 2-core machine: a few examples per operation and a time budget per run.
 */
const maxExamples = 4;
/** Anonymously nearly every write answers 401, so that run is short; the user's run has time for stateful sequences. */
const maxSeconds = { anonymous: 90, authenticated: 240 };
/**
 * Schemathesis's response time check, set far above anything but a hung request: tests here
 * never judge timings, and a busy 2-core machine answers some requests in tens of seconds.
 */
const maxResponseSeconds = 300;

/**
 * Operations left out, each with its reason:
 * - `logOut` in the authenticated run: it revokes every token of the user, so each later call
 *   of that run would get 401 (its refusal without a token is still fuzzed anonymously).
 */
const excludedInAuthenticatedRun = ['logOut'];

/**
 * Checks left out, each with its reason (none but these; `--checks all` otherwise):
 * - `positive_data_acceptance`: data the schema allows can still be refused for what JSON
 *   Schema cannot say — ids that name nothing (404), a character or image of someone else,
 *   invisible or direction-changing characters in shown text (400 by the API's contract), a
 *   write past the day's quota or the minute's rate (429). Each such answer is documented and
 *   checked by `status_code_conformance` and `response_schema_conformance`.
 */
const excludedChecks = ['positive_data_acceptance'];

let stack: RunningLocalStack;
let accessToken: string;
let reportDirectory: string;

async function api(method: string, pathName: string, body?: unknown, token?: string) {
  const response = await fetch(`${stack.url}${pathName}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathName} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Signs a user up through the API, confirms with the mailed code and logs in. */
async function signedUpUser(email: string, password: string) {
  await api('POST', '/api/auth/signup', { email, password, displayName: 'Fuzzing Fran' });
  await api('POST', '/api/auth/confirm', { email, code: await latestCode(stack.url, email, 'signup') });
  const tokens = await api('POST', '/api/auth/login', { email, password });
  return tokens.accessToken as string;
}

interface RunResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs in the report directory, where Schemathesis also keeps its cache of found failures. */
function schemathesis(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: reportDirectory,
        maxBuffer: 64 * 1024 * 1024,
        timeout: (maxSeconds.authenticated + maxResponseSeconds) * 1000,
        env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
      },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, output: `${stdout}${stderr}` });
      },
    );
  });
}

async function fuzz(name: keyof typeof maxSeconds, extra: string[]) {
  const command = await ensureSchemathesisVenv();
  const junit = path.join(reportDirectory, `${name}.xml`);
  const args = [
    'run',
    `${stack.url}/api/openapi.json`,
    '--url',
    stack.url,
    '--checks',
    'all',
    '--exclude-checks',
    excludedChecks.join(','),
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-examples',
    String(maxExamples),
    '--max-time',
    String(maxSeconds[name]),
    '--max-response-time',
    String(maxResponseSeconds),
    // The document's first load may wait for a cold start on a busy machine.
    '--wait-for-schema',
    '120',
    '--workers',
    '1',
    '--seed',
    '20261129',
    '--request-timeout',
    '60',
    '--suppress-health-check',
    'all',
    '--report',
    'junit',
    '--report-junit-path',
    junit,
    ...extra,
  ];
  const result = await schemathesis(command, args);
  const report = await readFile(junit, 'utf8').catch(() => '');
  const operations = [...report.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((match) => match[1]!);
  console.info(
    `Schemathesis (${name}): ${operations.length} operations tested\n${operations.map((op) => `  ${op}`).join('\n')}`,
  );
  const summary = result.output
    .split('\n')
    .filter((line) =>
      /test cases|generated|passed|failed|Phase|Stateful|Examples|Coverage|Fuzzing/i.test(line),
    );
  console.info(summary.join('\n'));
  return { ...result, operations };
}

beforeAll(async () => {
  reportDirectory = await mkdtemp(path.join(os.tmpdir(), 'easel-schemathesis-'));
  await ensureSchemathesisVenv();
  stack = await startTestStack({ pollQueues: false });
  // Every function starts cold once here, not in Schemathesis's first requests.
  await api('GET', '/api/openapi.json');
  accessToken = await signedUpUser(`fuzz-${Date.now().toString(36)}@example.com`, 'Correct-Horse-9');
});
afterAll(async () => {
  await rm(reportDirectory, { recursive: true, force: true });
  await stack?.stop();
});

describe('Schemathesis finds nothing the OpenAPI document does not allow', () => {
  it('anonymously, with every check and stateful links', async () => {
    const result = await fuzz('anonymous', []);
    expect(result.operations.length).toBeGreaterThan(10);
    expect(result.exitCode, result.output).toBe(0);
  });

  it('as a signed-up, logged-in user, with every check and stateful links', async () => {
    const result = await fuzz('authenticated', [
      '--header',
      `Authorization: Bearer ${accessToken}`,
      ...excludedInAuthenticatedRun.flatMap((operationId) => ['--exclude-operation-id', operationId]),
    ]);
    expect(result.operations.length).toBeGreaterThan(10);
    expect(result.exitCode, result.output).toBe(0);
  });
});
