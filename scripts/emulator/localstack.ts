import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyLocalAwsDefaults, boundPort, terminate } from './emulator.ts';
import { ensureVenv, projectRoot } from './venv.ts';

/**
 * LocalStack 4.14 (localstack-core from PyPI, host mode, no Docker, no auth token) serving the
 * services whose emulation matters most in moto's place: S3 enforces presigned POST policies
 * there. DynamoDB (LocalStack's needs DynamoDB Local, not open source) and Cognito (not in its
 * free edition) stay on moto, reached through `AWS_ENDPOINT_URL_<SERVICE>`.
 */
export const localStackServices = ['s3', 'sqs', 'secretsmanager'] as const;

export const localStackVenv = {
  venvDir: join(projectRoot, '.venv-localstack'),
  requirementsFile: join(projectRoot, 'scripts', 'emulator', 'localstack-requirements.txt'),
  python: pythonForLocalStack(),
  distribution: 'localstack-core',
  marker: join('bin', 'localstack-supervisor'),
};

/**
 * LOCALSTACK_PYTHON, else pyenv's newest 3.13 (Debian's python3 is 3.11), else python3.13 on PATH.
 * Not 3.12: LocalStack 4.14's S3 imports `warnings.deprecated`, new in 3.13 (its image runs 3.13).
 */
function pythonForLocalStack() {
  if (process.env.LOCALSTACK_PYTHON) return process.env.LOCALSTACK_PYTHON;
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const found = existsSync(versions)
    ? readdirSync(versions)
        .filter((name) => /^3\.13\.\d+$/.test(name))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    : [];
  const newest = found.at(-1);
  return newest ? join(versions, newest, 'bin', 'python3') : 'python3.13';
}

export interface RunningLocalStackEmulator {
  readonly endpoint: string;
  /** LocalStack's process id (also its process group id). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Makes sure .venv-localstack holds the pinned LocalStack; returns its python. */
export function ensureLocalStackVenv() {
  return ensureVenv({}, localStackVenv);
}

/**
 * Starts LocalStack on a port of the kernel's choosing, with a state directory of its own
 * that stop() removes. It dies with this process (see the guard below).
 */
export async function startLocalStackEmulator(
  options: { startTimeoutMs?: number } = {},
): Promise<RunningLocalStackEmulator> {
  applyLocalAwsDefaults();
  const python = await ensureLocalStackVenv();
  const root = await mkdtemp(join(tmpdir(), 'easel-localstack-'));
  const logDir = join(projectRoot, '.local');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `localstack-${process.pid}-${Date.now().toString(36)}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(python, ['-c', localStackOnBoundSocket], {
    detached: true,
    stdio: ['pipe', log, log, 'pipe'],
    env: {
      ...process.env,
      PYTHONUNBUFFERED: '1',
      // /.dockerenv exists on these machines; LocalStack would otherwise act as its own container.
      OVERRIDE_IN_DOCKER: '0',
      FILESYSTEM_ROOT: root,
      SERVICES: localStackServices.join(','),
      // Queue URLs on the gateway's own address, not *.localhost.localstack.cloud.
      SQS_ENDPOINT_STRATEGY: 'path',
      // Signed requests are checked as S3 checks them (presigned URLs included).
      S3_SKIP_SIGNATURE_VALIDATION: '0',
      // Nothing leaves the machine: no DNS server on port 53, no certificate download, no analytics.
      DNS_ADDRESS: '0',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      DISABLE_EVENTS: '1',
      // Not inherited from a shell that points at LocalStack or moto already.
      AWS_ENDPOINT_URL: '',
      GATEWAY_LISTEN: '',
      LOCALSTACK_HOST: '',
    },
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`localstack: could not start ${python}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.unref();
  (child.stdin as unknown as { unref(): void } | null)?.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      child.ref();
      // LocalStack shuts its services down in order on SIGTERM; that can take a few seconds.
      await terminate(child, pid, exited, 15_000);
      child.stdin?.destroy();
      child.stdio[3]?.destroy();
      await rm(root, { recursive: true, force: true });
    })();
    return stopping;
  };

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  try {
    const port = await boundPort(child, timeoutMs, 'localstack');
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilReady(endpoint, child, deadline, timeoutMs);
    return { endpoint, pid, stop };
  } catch (error) {
    await stop();
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-30).join('\n');
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${tail}`);
  }
}

/** Ready when its health document names every service Easel asks of it as running or available. */
async function waitUntilReady(endpoint: string, child: ChildProcess, deadline: number, timeoutMs: number) {
  while (Date.now() < deadline) {
    const code = child.exitCode ?? child.signalCode;
    if (code !== null) throw new Error(`localstack: exited (${code}) before answering`);
    try {
      const response = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(2000) });
      const health = (await response.json()) as { services?: Record<string, string> };
      if (localStackServices.every((name) => /^(available|running)$/.test(health.services?.[name] ?? '')))
        return;
    } catch {
      // Not answering yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`localstack: did not answer at ${endpoint} within ${timeoutMs} ms`);
}

// LocalStack cannot be given port 0: its readiness check waits for the port it was asked for,
// and queue URLs name it. Nor may the port be probed and then handed on (another process could
// take it in between). So this wrapper binds 127.0.0.1:0 itself, tells LocalStack the port it
// got (GATEWAY_LISTEN, LOCALSTACK_HOST) and has Twisted adopt that very socket where LocalStack
// would open its own (on every interface, too), non-blocking as Twisted requires. The port goes
// to the parent on fd 3. A thread ends LocalStack when its stdin closes, so it does not outlive
// a parent that dies without stop(). Then it runs as `python -m localstack.runtime.main`.
const localStackOnBoundSocket = `
import os, runpy, signal, socket, threading

def end_with_parent():
    while os.read(0, 4096):
        pass
    os.kill(os.getpid(), signal.SIGTERM)

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(128)
listener.setblocking(False)
port = listener.getsockname()[1]
os.environ['GATEWAY_LISTEN'] = f'127.0.0.1:{port}'
os.environ['LOCALSTACK_HOST'] = f'127.0.0.1:{port}'

from twisted.internet import endpoints, reactor

class BoundEndpoint:
    def __init__(self, *args, **kwargs):
        pass

    def listen(self, factory):
        reactor.adoptStreamPort(listener.fileno(), socket.AF_INET, factory)
        listener.close()

endpoints.TCP4ServerEndpoint = BoundEndpoint
os.write(3, f'{port}\\n'.encode())
os.close(3)
threading.Thread(target=end_with_parent, daemon=True).start()
runpy.run_module('localstack.runtime.main', run_name='__main__', alter_sys=True)
`;
