import { existsSync } from 'node:fs';
import path from 'node:path';
import { functionConfig } from '../shared/function-config.ts';
import { type CloudAssembly, synthesizeLocalAssembly } from './assembly/cloud-assembly.ts';
import { readRuntimeModel } from './assembly/runtime-model.ts';
import { localAwsDefaults, startEmulator } from './emulator/emulator.ts';
import { provision, putSecretValue } from './emulator/provision.ts';
import { startFakeOpenAI } from './fake-openai/server.ts';
import { startCognitoCodes } from './local-runtime/cognito-codes.ts';
import { startApiServer } from './local-runtime/http-server.ts';
import { localMailbox } from './local-runtime/mailbox.ts';
import { type FunctionSource, type LambdaHandler, startLocalRuntime } from './local-runtime/runtime.ts';

export interface LocalStackOptions {
  /** The runtime's port; 0 picks a free one. */
  readonly port: number;
  readonly host?: string;
  readonly emulatorPort?: number;
  /** Prefix of every local resource name; tests use their own to stay apart. */
  readonly prefix?: string;
  /** Where the provisioned names are written; `false` for nowhere. */
  readonly stackFile?: string | false;
  /** The synthesized templates; synthesized now (templates only, in seconds) when not given. */
  readonly assembly?: CloudAssembly;
  /** Functions from their TypeScript sources (default), or the assembly's bundles. */
  readonly source?: FunctionSource;
  /** Start the fake model provider even when OPENAI_API_KEY is set (tests always do). */
  readonly fakeProvider?: boolean;
  /** Local values for variables the functions read that the template leaves to their defaults. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly standIns?: Readonly<Record<string, LambdaHandler>>;
  readonly pollQueues?: boolean;
  readonly onInvoked?: (name: string, event: unknown, result: unknown) => void;
  /** Each line a function writes; dropped when not given. */
  readonly functionLog?: (name: string, line: string) => void;
  readonly log?: (line: string) => void;
}

const projectRoot = path.resolve(import.meta.dirname, '..');

/** The gallery as built by Vite, else the page in `web/` as it is. */
export function webRoot(): string {
  const built = path.join(projectRoot, 'web', 'dist');
  return existsSync(path.join(built, 'index.html')) ? built : path.join(projectRoot, 'web');
}

/**
 * All of Easel on one machine, built from the synthesized cloud assembly: the emulator
 * (unless AWS_ENDPOINT_URL names one), the templates' resources provisioned in it, the
 * fake model provider (unless a real key is set), and the local runtime serving the
 * API, the gallery and the queues with each function as the template deploys it.
 * `stop()` ends everything it started.
 */
export async function startLocalStack(options: LocalStackOptions) {
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`stop failed: ${String(error)}`));
  };
  try {
    const assembly = options.assembly ?? (await synthesizeLocalAssembly());
    const emulator = await startEmulator({ port: options.emulatorPort });
    stops.push(() => emulator.stop());
    log(
      emulator.external
        ? `using the AWS endpoint ${emulator.endpoint}`
        : `emulator (moto) on ${emulator.endpoint}`,
    );

    const mailbox = localMailbox(log);
    const server = await startApiServer({
      port: options.port,
      host: options.host,
      webRoot: webRoot(),
      local: { '/__local/mail': (url) => mailbox.list(url.searchParams.get('to')) },
      log,
    });
    stops.push(() => server.close());

    const region = process.env.AWS_REGION ?? localAwsDefaults.AWS_REGION;
    const { local: stack, resolver } = await provision({
      endpoint: emulator.endpoint,
      assembly,
      siteUrl: server.url,
      prefix: options.prefix,
      region,
      stackFile: options.stackFile,
    });
    log(
      `provisioned ${assembly.stateful.name} and ${assembly.stateless.name}: table ${stack.tableName}, user pool ${stack.userPoolId}`,
    );

    const useFake = options.fakeProvider === true || !process.env.OPENAI_API_KEY;
    let providerUrl: string | undefined;
    if (useFake) {
      const fake = await startFakeOpenAI({ port: 0, quiet: true });
      stops.push(() => fake.close());
      providerUrl = fake.url;
      log(`no OPENAI_API_KEY set: using the fake model provider on ${fake.url} (images drawn locally)`);
    }
    // What an operator does after the first deploy: the key goes into the secret the workers read.
    await putSecretValue(
      emulator.endpoint,
      region,
      stack.outputs.OpenAiSecretName!,
      useFake ? 'fake-key' : process.env.OPENAI_API_KEY!,
    );

    const credentials = {
      accessKeyId: localAwsDefaults.AWS_ACCESS_KEY_ID,
      secretAccessKey: localAwsDefaults.AWS_SECRET_ACCESS_KEY,
    };
    // Codes are made, checked and mailed in front of moto, which takes any code.
    const cognito = await startCognitoCodes({
      upstream: stack.serviceEndpoints.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? emulator.endpoint,
      region,
      credentials,
      mailbox,
    });
    stops.push(() => cognito.close());

    const model = readRuntimeModel(assembly, resolver, server.url);
    const runtime = await startLocalRuntime({
      model,
      server,
      imageBucket: stack.imageBucket,
      endpoints: {
        region,
        aws: {
          AWS_ENDPOINT_URL: emulator.endpoint,
          ...stack.serviceEndpoints,
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
        },
        credentials,
        jwksUri: stack.jwksUri,
        openAiBaseUrl: providerUrl ?? process.env.OPENAI_BASE_URL,
      },
      source: options.source,
      settings: {
        // Quick retries locally, so a transient provider failure resolves in seconds.
        RETRY_BASE_SECONDS: '1',
        ...options.settings,
      },
      readsOf: (name) => functionConfig[name as keyof typeof functionConfig],
      standIns: options.standIns,
      pollQueues: options.pollQueues,
      onInvoked: options.onInvoked,
      functionLog: options.functionLog,
      log,
    });
    stops.push(() => runtime.stop());

    return {
      url: server.url,
      stack,
      assembly,
      providerUrl,
      invoke: runtime.invoke,
      peakMemoryMb: runtime.peakMemoryMb,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export type RunningLocalStack = Awaited<ReturnType<typeof startLocalStack>>;
