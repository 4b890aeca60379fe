import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ensureVenv, projectRoot, venvBin } from './venv.ts';

export interface Emulator {
  readonly endpoint: string;
  /** True when the endpoint belongs to someone else (AWS_ENDPOINT_URL, or a reused server): stop is a no-op. */
  readonly external: boolean;
  /** The moto server's process id (also its process group id); absent when external. */
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /** Default: EMULATOR_PORT, else 4566; 0 lets moto bind a free port, which `endpoint` then names. */
  readonly port?: number;
  /** The address moto binds; default 127.0.0.1. */
  readonly host?: string;
  /** Use a moto server that already answers on the port instead of failing. */
  readonly reuse?: boolean;
  /** How long moto may take to answer; default 30 s. */
  readonly startTimeoutMs?: number;
}

/** Credentials and region the emulator accepts; real ones are never needed locally. */
export const localAwsDefaults = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
} as const;

/** The account moto creates every resource in. */
export const localAccountId = '123456789012';

/** Fills in the dummy credentials and region for SDK clients that read them from the environment. */
export function applyLocalAwsDefaults(env: NodeJS.ProcessEnv = process.env) {
  for (const [name, value] of Object.entries(localAwsDefaults)) env[name] ??= value;
}

/** The SDK's service ids as they appear in `AWS_ENDPOINT_URL_<SERVICE>`. */
export type EmulatedService = 'S3' | 'SQS' | 'DYNAMODB' | 'COGNITO_IDENTITY_PROVIDER' | 'SECRETS_MANAGER';

/**
 * Client settings for one service against the emulator. An explicit `endpoint` beats the
 * SDK's own `AWS_ENDPOINT_URL_<SERVICE>` lookup, so it is passed only when that variable is
 * unset: then LocalStack can be paired with a Cognito served elsewhere.
 */
export function clientConfig(service: EmulatedService, endpoint: string, region?: string) {
  const env = process.env;
  return {
    region: region ?? env.AWS_REGION ?? localAwsDefaults.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? localAwsDefaults.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? localAwsDefaults.AWS_SECRET_ACCESS_KEY,
    },
    ...(env[`AWS_ENDPOINT_URL_${service}`] ? {} : { endpoint }),
    // Bucket names as subdomains of 127.0.0.1 do not resolve.
    ...(service === 'S3' ? { forcePathStyle: true } : {}),
  };
}

/**
 * Starts moto in server mode, or returns AWS_ENDPOINT_URL untouched when it is set
 * (LocalStack or an emulator someone else runs).
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  applyLocalAwsDefaults();
  const external = process.env.AWS_ENDPOINT_URL;
  if (external) return { endpoint: external.replace(/\/+$/, ''), external: true, stop: async () => {} };

  const requestedPort = options.port ?? Number(process.env.EMULATOR_PORT ?? 4566);
  const host = options.host ?? '127.0.0.1';
  const address = host === '0.0.0.0' ? '127.0.0.1' : host;
  const endpointOn = (port: number) => `http://${address}:${port}`;

  if (requestedPort !== 0 && (await isListening(host, requestedPort))) {
    const endpoint = endpointOn(requestedPort);
    if (!(await isMoto(endpoint))) {
      throw new Error(
        `emulator: port ${requestedPort} is in use by something that is not moto; set EMULATOR_PORT`,
      );
    }
    if (!options.reuse) {
      throw new Error(
        `emulator: port ${requestedPort} is in use (a moto server already answers at ${endpoint})`,
      );
    }
    return { endpoint, external: true, stop: async () => {} };
  }

  await ensureVenv();
  const logDir = join(projectRoot, '.local');
  mkdirSync(logDir, { recursive: true });
  // Named after the port once moto has bound it; until then, after this process.
  let logFile = join(logDir, `moto-starting-${process.pid}-${randomBytes(4).toString('hex')}.log`);
  const log = openSync(logFile, 'w');
  // moto_server's own entry point, plus a thread that ends moto when its stdin closes: if this
  // process dies without stop() (a crash, SIGKILL), moto does not outlive it holding the port.
  // Detached into its own process group, so stop() reaches every process moto starts.
  // moto writes the port it bound to fd 3.
  const python = venvBin('python');
  const child = spawn(python, ['-c', motoWithParentGuard, '-H', host, '-p', String(requestedPort)], {
    detached: true,
    stdio: ['pipe', log, log, 'pipe'],
    // moto checks authenticator (TOTP) codes only when told to; its secret is one fixed value.
    env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: 'true' },
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`emulator: could not start moto with ${python}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Neither moto nor the guard's pipe keeps this process alive on their own.
  child.unref();
  (child.stdin as Socket | null)?.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // Keeps this process alive until moto has gone, so the port is free when stop() resolves.
      child.ref();
      await terminate(child, pid, exited);
      child.stdin?.destroy();
      child.stdio[3]?.destroy();
    })();
    return stopping;
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  try {
    const port = await boundPort(child, timeoutMs);
    const named = join(logDir, `moto-${port}.log`);
    renameSync(logFile, named);
    logFile = named;
    const endpoint = endpointOn(port);
    await waitUntilReady(endpoint, child, deadline, timeoutMs);
    return { endpoint, external: false, pid, stop };
  } catch (error) {
    await stop();
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-20).join('\n');
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${tail}`);
  }
}

/** The port the server (moto, or LocalStack's wrapper) reports on fd 3 once it has bound its socket. */
export function boundPort(child: ChildProcess, timeoutMs: number, name = 'moto') {
  const report = child.stdio[3] as Readable;
  return new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`emulator: ${name} bound no port within ${timeoutMs} ms`)),
      timeoutMs,
    );
    report.setEncoding('utf8');
    report.on('data', (chunk: string) => {
      text += chunk;
    });
    // moto closes fd 3 after writing the port; a moto that failed to bind closes it by exiting.
    report.once('close', () => {
      clearTimeout(timer);
      const port = Number(text.trim());
      if (text.trim() && Number.isInteger(port) && port > 0) resolve(port);
      else reject(new Error(`emulator: ${name} ended before binding a port`));
    });
  });
}

function isListening(host: string, port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: host === '0.0.0.0' ? '127.0.0.1' : host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** moto answers its own API at /moto-api/; its config document names the lambda backend settings. */
async function isMoto(endpoint: string) {
  try {
    const response = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(2000) });
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && 'lambda' in body;
  } catch {
    return false;
  }
}

async function waitUntilReady(endpoint: string, child: ChildProcess, deadline: number, timeoutMs: number) {
  while (Date.now() < deadline) {
    const code = child.exitCode ?? child.signalCode;
    if (code !== null) throw new Error(`emulator: moto exited (${code}) before answering`);
    if (await isMoto(endpoint)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`emulator: moto did not answer at ${endpoint} within ${timeoutMs} ms`);
}

// os.read, not sys.stdin: a buffered read still waiting at shutdown aborts the interpreter.
// moto serves requests on threads but does not isolate concurrent DynamoDB writes (two
// transactions adding to one counter can lose an update), which DynamoDB never does; so
// DynamoDB requests run one at a time. Other services keep their threads: an SQS long
// poll must not hold up the rest.
// Before it applies a TransactWriteItems, moto backs up the whole table once for every item of
// the transaction; the copy grows with the table and made every transaction slower as a run
// went on. Here it keeps only the items the transaction names, as they were, and puts them back
// (or deletes the ones that did not exist) when the transaction is cancelled: the same state
// as restoring the whole table, since a transaction writes nothing else.
// moto's own run_simple is replaced by werkzeug's make_server, which binds the socket (port
// 0: one the kernel picks) before serving, so the port it got can be told to the parent on
// fd 3 and to moto's MOTO_PORT, which moto otherwise sets to the port asked for. moto never
// asks for the reloader here.
const motoWithParentGuard = `
import os, signal, sys, threading
import moto.server as server
from werkzeug.serving import make_server

def end_with_parent():
    while os.read(0, 4096):
        pass
    os.kill(os.getpid(), signal.SIGTERM)

dynamodb = threading.Lock()

import copy
import moto.dynamodb.models as dynamodb_models

class TableBackups:
    def __init__(self):
        self.local = threading.local()
    def deepcopy(self, value, memo=None):
        if getattr(self.local, 'items_kept', False) and memo is None and isinstance(value, dynamodb_models.Table):
            return value
        return copy.deepcopy(value, memo)
    def __getattr__(self, name):
        return getattr(copy, name)

table_backups = TableBackups()
dynamodb_models.copy = table_backups
transact_write_items = dynamodb_models.DynamoDBBackend.transact_write_items

def item_key(backend, op_type, op):
    if op_type != 'Put':
        return op['Key']
    table = backend.get_table(op['TableName'])
    key = {table.hash_key_attr: op['Item'][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = op['Item'][table.range_key_attr]
    return key

def transact_write_items_keeping_items(self, transact_items):
    kept = []
    try:
        for transact_item in transact_items:
            op_type, op = next(iter(transact_item.items()))
            key = item_key(self, op_type, op)
            current = self.get_item(op['TableName'], key)
            kept.append((op['TableName'], key, copy.deepcopy(current.to_json()['Attributes']) if current else None))
    except Exception:
        # A transaction moto will refuse as malformed keeps its whole-table backup.
        return transact_write_items(self, transact_items)
    table_backups.local.items_kept = True
    try:
        return transact_write_items(self, transact_items)
    except Exception:
        for table_name, key, attributes in reversed(kept):
            if attributes is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, attributes)
        raise
    finally:
        table_backups.local.items_kept = False

dynamodb_models.DynamoDBBackend.transact_write_items = transact_write_items_keeping_items

def serve_on_bound_port(host, port, app, threaded, request_handler, ssl_context, use_reloader):
    def serialised(environ, start_response):
        if environ.get('HTTP_X_AMZ_TARGET', '').startswith('DynamoDB_'):
            with dynamodb:
                return list(app(environ, start_response))
        return app(environ, start_response)
    httpd = make_server(host, port, serialised, threaded=threaded,
                        request_handler=request_handler, ssl_context=ssl_context)
    os.environ['MOTO_PORT'] = str(httpd.port)
    os.write(3, f'{httpd.port}\\n'.encode())
    os.close(3)
    httpd.log_startup()
    httpd.serve_forever()

server.run_simple = serve_on_bound_port
threading.Thread(target=end_with_parent, daemon=True).start()
server.main(sys.argv[1:])
`;

/** Ends a server's whole process group: SIGTERM, then SIGKILL after the grace period. */
export async function terminate(child: ChildProcess, pid: number, exited: Promise<void>, graceMs = 5000) {
  if (child.exitCode === null && child.signalCode === null) {
    killGroup(pid, 'SIGTERM');
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
    ]);
    if (timedOut) {
      killGroup(pid, 'SIGKILL');
      await exited;
    }
  }
  // Children that outlived the server would keep the port or the log open.
  killGroup(pid, 'SIGKILL');
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
