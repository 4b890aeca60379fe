import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { functionConfig } from '../shared/function-config.ts';
import { type CloudAssembly, synthesizeLocalAssembly } from './assembly/cloud-assembly.ts';
import { readRuntimeModel } from './assembly/runtime-model.ts';
import { localAwsDefaults, startEmulator } from './emulator/emulator.ts';
import { provision, putSecretValue } from './emulator/provision.ts';
import { type ProxiedRequest, startRecordingProxy } from './emulator/recording-proxy.ts';
import { startFakeOpenAI } from './fake-openai/server.ts';
import { describeDenial, type PolicyAudit, startPolicyAudit } from './iam/policy-audit.ts';
import { startCdnInvalidations } from './local-runtime/cdn-invalidations.ts';
import { startCognitoCodes } from './local-runtime/cognito-codes.ts';
import { type ApiExchange, startApiServer } from './local-runtime/http-server.ts';
import { functionAccessKeyId } from './local-runtime/lambda-environment.ts';
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
  /**
   * Record every AWS call each function makes and check it against the function's role
   * when the stack stops: `stop()` then fails naming each call the role does not allow,
   * after writing the report (calls, denials, grants used) to `reportFile`.
   */
  readonly iamAudit?: { readonly reportFile?: string };
  /** Told of every AWS request a function makes, with the function's name (tests count calls with it). */
  readonly onAwsRequest?: (functionName: string | undefined, request: ProxiedRequest) => void;
  readonly log?: (line: string) => void;
  /** Told of every answer of the API (not the gallery's files, `/img/*` or `/__local/*`). */
  readonly onResponse?: (exchange: ApiExchange) => void;
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
  let audit: PolicyAudit | undefined;
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
    // The distribution's id in the template resolves to the local runtime's ('local').
    const cdn = await startCdnInvalidations({ distributionId: 'local', log });
    stops.push(() => cdn.close());
    const server = await startApiServer({
      port: options.port,
      host: options.host,
      webRoot: webRoot(),
      local: {
        '/__local/mail': (url) => mailbox.list(url.searchParams.get('to')),
        '/__local/invalidations': () => cdn.list(),
      },
      log,
      onResponse: options.onResponse,
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

    const model = readRuntimeModel(assembly, resolver, server.url);
    const awsEndpoints: Record<string, string> = {
      AWS_ENDPOINT_URL: emulator.endpoint,
      ...stack.serviceEndpoints,
    };
    if (options.iamAudit || options.onAwsRequest) {
      const keys = new Map([...model.functions.keys()].map((name) => [functionAccessKeyId(name), name]));
      const recording = options.iamAudit
        ? startPolicyAudit({ assembly, resolver, functionOfKey: (key) => keys.get(key) })
        : undefined;
      audit = recording;
      const functionOf = (request: ProxiedRequest) =>
        keys.get(/Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? '');
      // The functions reach every AWS endpoint through a proxy that records their calls.
      for (const [variable, endpoint] of Object.entries(awsEndpoints)) {
        const proxy = await startRecordingProxy(endpoint, (request) => {
          recording?.record(request);
          options.onAwsRequest?.(functionOf(request), request);
        });
        stops.push(() => proxy.close());
        awsEndpoints[variable] = proxy.url;
      }
    }
    // Codes are made, checked and mailed in front of moto, which takes any code; what the
    // layer passes on goes through the recording proxy like every other call.
    const cognito = await startCognitoCodes({
      upstream: awsEndpoints.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? awsEndpoints.AWS_ENDPOINT_URL!,
      region,
      credentials: {
        accessKeyId: localAwsDefaults.AWS_ACCESS_KEY_ID,
        secretAccessKey: localAwsDefaults.AWS_SECRET_ACCESS_KEY,
      },
      mailbox,
    });
    stops.push(() => cognito.close());
    awsEndpoints.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = cognito.url;
    const runtime = await startLocalRuntime({
      model,
      server,
      imageBucket: stack.imageBucket,
      endpoints: {
        region,
        aws: { ...awsEndpoints, AWS_ENDPOINT_URL_CLOUDFRONT: cdn.url },
        credentials: { secretAccessKey: localAwsDefaults.AWS_SECRET_ACCESS_KEY },
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
      onManagementCall: audit ? (request) => audit?.record(request) : undefined,
      functionLog: options.functionLog,
      log,
    });
    stops.push(() => runtime.stop());

    const stop = async () => {
      await stopAll();
      if (!audit) return;
      const report = await audit.finish();
      if (options.iamAudit?.reportFile) {
        await mkdir(path.dirname(options.iamAudit.reportFile), { recursive: true });
        await writeFile(options.iamAudit.reportFile, `${JSON.stringify(report, null, 2)}\n`);
      }
      if (report.denied.length > 0) {
        throw new Error(
          `${report.denied.length} AWS call(s) would be denied in AWS:\n${report.denied.map(describeDenial).join('\n')}`,
        );
      }
    };
    return {
      url: server.url,
      stack,
      assembly,
      providerUrl,
      invoke: runtime.invoke,
      peakMemoryMb: runtime.peakMemoryMb,
      /** The ids of the open live-updates sockets. */
      liveConnectionIds: runtime.connectionIds,
      stop,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export type RunningLocalStack = Awaited<ReturnType<typeof startLocalStack>>;
