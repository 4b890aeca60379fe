import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The command line that starts a Node process for a function: a prefix, before the bootstrap. */
export interface NodeCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export interface FunctionPoolOptions {
  readonly name: string;
  /** The module Lambda would load (`functions/<name>.ts`, or `index.mjs` of a bundle), and its export. */
  readonly moduleFile: string;
  readonly exportName: string;
  readonly node: NodeCommand;
  /** The whole environment of the process: nothing of the runtime's own leaks in. */
  readonly environment: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly region: string;
  readonly functionArn: string;
  /** Execution environments that may run at once; invocations beyond wait for one. */
  readonly maxInstances: number;
  /** Each line the function writes (its logs). */
  readonly log: (line: string) => void;
}

/** A function failed as Lambda reports it: an error thrown, a timeout, a failed cold start. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
    readonly remoteStack?: string,
  ) {
    super(`${functionName}: ${errorType}: ${message}`);
    this.name = 'FunctionError';
  }
}

interface Invocation {
  readonly id: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

interface Instance {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  busy?: Invocation;
  dead: boolean;
}

const bootstrap = path.join(import.meta.dirname, 'lambda-bootstrap.mjs');

/**
 * One Lambda function's execution environments: each a process of its own with the
 * function's environment, loading its module once and taking one invocation at a time,
 * so module state (clients, config, the logger's context) is per function and per
 * instance, as in Lambda. Concurrent invocations get more instances, up to `maxInstances`.
 * A timeout or a crash ends the instance, as Lambda discards the environment.
 */
export class FunctionPool {
  private readonly instances = new Set<Instance>();
  private readonly waiting: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly options: FunctionPoolOptions) {}

  async invoke(event: unknown, requestId: string = randomUUID()): Promise<unknown> {
    const instance = await this.acquire();
    try {
      return await this.run(instance, event, requestId);
    } finally {
      instance.busy = undefined;
      this.waiting.shift()?.();
    }
  }

  /**
   * The most memory any of its live processes has held (VmHWM, peak resident set, in MB),
   * what Lambda's memory size must cover; undefined where /proc is not there.
   */
  peakMemoryMb(): number | undefined {
    let peak: number | undefined;
    for (const { child } of this.instances) {
      try {
        const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (kb) peak = Math.max(peak ?? 0, Number(kb) / 1024);
      } catch {
        // The process has just ended.
      }
    }
    return peak;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.instances].map((instance) => this.end(instance)));
  }

  private async acquire(): Promise<Instance> {
    for (;;) {
      if (this.stopped)
        throw new FunctionError(this.options.name, 'Runtime.Stopped', 'the local runtime is stopping');
      const idle = [...this.instances].find((instance) => !instance.busy && !instance.dead);
      if (idle) {
        idle.busy = placeholder;
        try {
          await idle.ready;
          return idle;
        } catch (error) {
          this.instances.delete(idle);
          throw error;
        }
      }
      if (this.instances.size < this.options.maxInstances) {
        const instance = this.start();
        instance.busy = placeholder;
        try {
          await instance.ready;
          return instance;
        } catch (error) {
          this.instances.delete(instance);
          throw error;
        }
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private start(): Instance {
    const { options } = this;
    const child = spawn(
      options.node.command,
      [...options.node.args, bootstrap, options.moduleFile, options.exportName],
      {
        cwd: options.cwd,
        env: options.environment,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => options.log(line));
    }
    let settleReady: { resolve: () => void; reject: (error: Error) => void };
    const ready = new Promise<void>((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    // A failed cold start is reported to the invocation that waits on it.
    ready.catch(() => undefined);
    const instance: Instance = { child, ready, dead: false };
    child.on('message', (message: Message) => {
      if (message.type === 'ready') settleReady.resolve();
      else if (message.type === 'init-error') {
        instance.dead = true;
        settleReady.reject(
          new FunctionError(
            options.name,
            'Runtime.InitError',
            message.error.errorMessage,
            message.error.stack,
          ),
        );
      } else if (message.type === 'result' && instance.busy?.id === message.id) {
        const invocation = instance.busy;
        clearTimeout(invocation.timer);
        if (message.error) {
          invocation.reject(
            new FunctionError(
              options.name,
              message.error.errorType,
              message.error.errorMessage,
              message.error.stack,
            ),
          );
        } else invocation.resolve(message.value);
      }
    });
    child.on('exit', (code, signal) => {
      instance.dead = true;
      this.instances.delete(instance);
      const error = new FunctionError(
        options.name,
        'Runtime.ExitError',
        `the function's process exited (${signal ?? code}) ${instance.busy ? 'during an invocation' : 'before it was ready'}`,
      );
      settleReady.reject(error);
      if (instance.busy && instance.busy !== placeholder) {
        clearTimeout(instance.busy.timer);
        instance.busy.reject(error);
      }
      this.waiting.shift()?.();
    });
    child.on('error', (error) => {
      instance.dead = true;
      settleReady.reject(new FunctionError(options.name, 'Runtime.StartError', error.message));
    });
    this.instances.add(instance);
    return instance;
  }

  private run(instance: Instance, event: unknown, requestId: string): Promise<unknown> {
    const { options } = this;
    const timeoutMs = options.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        // Lambda stops the environment at the timeout; the next invocation gets a fresh one.
        reject(
          new FunctionError(
            options.name,
            'Sandbox.Timedout',
            `Task timed out after ${options.timeoutSeconds.toFixed(2)} seconds`,
          ),
        );
        instance.busy = undefined;
        void this.end(instance);
      }, timeoutMs);
      instance.busy = { id, resolve, reject, timer };
      instance.child.send({
        type: 'invoke',
        id,
        event,
        deadline: Date.now() + timeoutMs,
        context: {
          functionName: options.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: options.functionArn,
          memoryLimitInMB: String(options.memorySize),
          awsRequestId: requestId,
          logGroupName: `/aws/lambda/${options.name}`,
          logStreamName: `local/${instance.child.pid}`,
        },
      });
    });
  }

  private async end(instance: Instance): Promise<void> {
    instance.dead = true;
    const { child } = instance;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

type Message =
  | { type: 'ready' }
  | { type: 'init-error'; error: RemoteError }
  | { type: 'result'; id: string; value?: unknown; error?: RemoteError };

interface RemoteError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stack?: string;
}

/** Marks an instance taken while it is still starting. */
const placeholder: Invocation = {
  id: '',
  resolve: () => undefined,
  reject: () => undefined,
  timer: setTimeout(() => undefined, 0),
};
