import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from './emulator/emulator.ts';
import { functionEnv, type LocalStack, provision } from './emulator/provision.ts';
import { startFakeOpenAI } from './fake-openai/server.ts';
import type { LambdaHandler } from './local-runtime/functions.ts';
import { startLocalRuntime } from './local-runtime/runtime.ts';

export interface LocalStackOptions {
  /** The runtime's port; 0 picks a free one. */
  readonly port: number;
  readonly host?: string;
  readonly emulatorPort?: number;
  /** Prefix of every local resource name; tests use their own to stay apart. */
  readonly prefix?: string;
  /** Where the provisioned names are written; `false` for nowhere. */
  readonly stackFile?: string | false;
  /** Start the fake model provider even when OPENAI_API_KEY is set (tests always do). */
  readonly fakeProvider?: boolean;
  readonly pollQueues?: boolean;
  readonly loadFunction?: (name: string) => Promise<LambdaHandler>;
  readonly log?: (line: string) => void;
}

const projectRoot = path.resolve(import.meta.dirname, '..');

/** The gallery as built by Vite, else the page in `web/` as it is. */
export function webRoot(): string {
  const built = path.join(projectRoot, 'web', 'dist');
  return existsSync(path.join(built, 'index.html')) ? built : path.join(projectRoot, 'web');
}

/**
 * All of Easel on one machine: the emulator (unless AWS_ENDPOINT_URL names one), every
 * resource provisioned, the fake model provider (unless a real key is set), and the local
 * runtime serving the API, the gallery and the queues. `stop()` ends everything it started.
 */
export async function startLocalStack(options: LocalStackOptions) {
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`stop failed: ${String(error)}`));
  };
  try {
    const emulator = await startEmulator({ port: options.emulatorPort });
    stops.push(() => emulator.stop());
    log(
      emulator.external
        ? `using the AWS endpoint ${emulator.endpoint}`
        : `emulator (moto) on ${emulator.endpoint}`,
    );

    const stack: LocalStack = await provision({
      endpoint: emulator.endpoint,
      prefix: options.prefix,
      stackFile: options.stackFile,
    });
    log(`provisioned table ${stack.tableName}, buckets, queues and user pool ${stack.userPoolId}`);

    const useFake = options.fakeProvider === true || !process.env.OPENAI_API_KEY;
    let provider: { url: string; apiKey: string } | undefined;
    if (useFake) {
      const fake = await startFakeOpenAI({ port: 0, quiet: true });
      stops.push(() => fake.close());
      provider = { url: fake.url, apiKey: 'fake-key' };
      log(`no OPENAI_API_KEY set: using the fake model provider on ${fake.url} (images drawn locally)`);
    }

    Object.assign(process.env, functionEnv(stack), {
      OPENAI_API_KEY: provider?.apiKey ?? process.env.OPENAI_API_KEY,
      ...(provider ? { OPENAI_BASE_URL: provider.url } : {}),
      CURSOR_SECRET: process.env.CURSOR_SECRET ?? randomBytes(32).toString('hex'),
      // Quick retries locally, so a transient provider failure resolves in seconds.
      RETRY_BASE_SECONDS: process.env.RETRY_BASE_SECONDS ?? '1',
    });

    const runtime = await startLocalRuntime({
      port: options.port,
      host: options.host,
      webRoot: webRoot(),
      pollQueues: options.pollQueues,
      loadFunction: options.loadFunction,
      log,
      resources: {
        region: stack.region,
        imageBucket: stack.imageBucket,
        userPoolId: stack.userPoolId,
        userPoolClientId: stack.userPoolClientId,
        jwksUri: stack.jwksUri,
        queueUrls: {
          jobs: { main: stack.jobsQueueUrl, dlq: stack.jobsDlqUrl },
          uploads: { main: stack.uploadsQueueUrl, dlq: stack.uploadsDlqUrl },
        },
      },
    });
    stops.push(() => runtime.stop());
    // Public images are served by the runtime under /img, as CloudFront does in AWS.
    process.env.CDN_BASE_URL = runtime.url;

    return { url: runtime.url, stack, providerUrl: provider?.url, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export type RunningLocalStack = Awaited<ReturnType<typeof startLocalStack>>;
