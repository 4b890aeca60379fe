import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import type { FunctionDefinition, RuntimeModel } from '../assembly/runtime-model.ts';
import { clientConfig } from '../emulator/emulator.ts';
import type { ProxiedRequest } from '../emulator/recording-proxy.ts';
import { FunctionPool, type NodeCommand } from './function-pool.ts';
import type { ApiServer } from './http-server.ts';
import { createJwtAuthorizer } from './jwt-authorizer.ts';
import { functionAccessKeyId, type LocalEndpoints, lambdaEnvironment } from './lambda-environment.ts';
import { type QueuePoller, startQueuePoller } from './queue-poller.ts';
import { startWebSocketGateway } from './websocket-gateway.ts';

/** A handler run in this process instead of its function's sandbox: a test's stand-in. */
export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

/** Where each function's code comes from. */
export type FunctionSource =
  /** `functions/<name>.ts`, run by this machine's Node with tsx: edits apply on the next start. */
  | { readonly kind: 'typescript' }
  /** The bundles of a full synth (`index.mjs` in each asset), run by `node` (Lambda's own, under qemu). */
  | { readonly kind: 'bundle'; readonly node: NodeCommand };

export interface LocalRuntimeOptions {
  readonly model: RuntimeModel;
  /** The server already listening (its URL is the site's); the runtime starts serving on it. */
  readonly server: ApiServer;
  readonly endpoints: LocalEndpoints;
  readonly imageBucket: string;
  readonly source?: FunctionSource;
  /** Local values for variables a function reads that the template leaves to their defaults. */
  readonly settings?: Readonly<Record<string, string>>;
  /** The variables each function reads (shared/function-config.ts); settings go only to those. */
  readonly readsOf?: (name: string) => readonly string[] | undefined;
  /** Functions replaced by in-process handlers (tests). */
  readonly standIns?: Readonly<Record<string, LambdaHandler>>;
  /** Leave the queues alone (for tests that drive them themselves). */
  readonly pollQueues?: boolean;
  /** Execution environments per function at most; Lambda's are many, a laptop's few. */
  readonly maxInstances?: number;
  /** Each line a function writes. */
  readonly functionLog?: (name: string, line: string) => void;
  /** Each call the functions make to a WebSocket API's management API (the IAM audit checks them). */
  readonly onManagementCall?: (request: ProxiedRequest) => void;
  /** Told of each invocation that returned (benchmarks count finished jobs with it). */
  readonly onInvoked?: (name: string, event: unknown, result: unknown) => void;
  readonly log?: (line: string) => void;
}

const projectRoot = path.resolve(import.meta.dirname, '../..');
/** This machine's Node, loading TypeScript through tsx. */
// The SDK warns once per process that it will need Node 22 (Lambda runs 22): noise in every function's log.
const typescriptNode: NodeCommand = {
  command: process.execPath,
  args: ['--disable-warning=NodeVersionSupportWarning', '--import', 'tsx'],
};
const defaultMaxInstances = 4;

function sandboxOf(definition: FunctionDefinition, options: LocalRuntimeOptions): FunctionPool {
  const source = options.source ?? { kind: 'typescript' };
  const [moduleName, exportName] = definition.handler.split('.') as [string, string];
  let moduleFile: string;
  let taskRoot: string;
  if (source.kind === 'bundle') {
    if (!definition.asset) throw new Error(`${definition.name}: the assembly holds no bundle for it`);
    taskRoot = definition.asset;
    moduleFile = path.join(definition.asset, `${moduleName}.mjs`);
  } else {
    taskRoot = projectRoot;
    moduleFile = path.join(projectRoot, 'functions', `${definition.name}.ts`);
  }
  return new FunctionPool({
    name: definition.name,
    moduleFile,
    exportName,
    node: source.kind === 'bundle' ? source.node : typescriptNode,
    environment: lambdaEnvironment(definition, options.endpoints, {
      taskRoot,
      settings: options.settings,
      reads: options.readsOf?.(definition.name),
    }),
    cwd: taskRoot,
    timeoutSeconds: definition.timeoutSeconds,
    memorySize: definition.memorySize,
    region: options.endpoints.region,
    functionArn: `arn:aws:lambda:${options.endpoints.region}:000000000000:function:${definition.name}`,
    maxInstances: options.maxInstances ?? defaultMaxInstances,
    log: (line) => options.functionLog?.(definition.name, line),
  });
}

function standInContext(name: string, definition: FunctionDefinition, requestId: string): Context {
  const deadline = Date.now() + definition.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(definition.memorySize),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const secretReference = /^\{\{resolve:secretsmanager:(.+):SecretString:::\}\}$/;

/** The headers CloudFront adds to an origin's requests, with CloudFormation's secret references read from the emulator. */
async function originHeaders(
  template: Readonly<Record<string, string>>,
  endpoints: LocalRuntimeOptions['endpoints'],
) {
  const secrets = new SecretsManagerClient(
    clientConfig('SECRETS_MANAGER', endpoints.aws.AWS_ENDPOINT_URL ?? '', endpoints.region),
  );
  try {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(template)) {
      const secretId = secretReference.exec(value)?.[1];
      if (value.includes('{{resolve:') && !secretId) {
        throw new Error(
          `CloudFront's origin header ${name}: a dynamic reference the local stack cannot read`,
        );
      }
      headers[name] = secretId
        ? ((await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString ?? '')
        : value;
    }
    return headers;
  } finally {
    secrets.destroy();
  }
}

/**
 * API Gateway, its JWT authorizers, CloudFront's `/img/*` origin and the SQS event source
 * mappings, on one machine, as the stateless template configures them: each function
 * runs in execution environments of its own (see FunctionPool) with the template's
 * environment, timeout and memory size.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const { model, endpoints } = options;
  const region = endpoints.region;
  const endpoint = endpoints.aws.AWS_ENDPOINT_URL ?? '';
  const sqs = new SQSClient(clientConfig('SQS', endpoint, region));
  const s3 = new S3Client(clientConfig('S3', endpoint, region));

  // Started first: the functions' environment names its management endpoint.
  const gateway = await startWebSocketGateway({
    apis: await Promise.all(
      model.webSocketApis.map(async (api) => ({
        ...api,
        originHeaders: await originHeaders(api.originHeaders, endpoints),
      })),
    ),
    region,
    domainName: new URL(options.server.url).host,
    invoke: (name, event) => invoke(name, event),
    onManagementCall: options.onManagementCall,
    log: options.log,
  });

  const pools = new Map<string, FunctionPool>();
  for (const template of model.functions.values()) {
    // The management API of a WebSocket stage (LIVE_CONNECTIONS_URL) is the gateway's.
    const definition = {
      ...template,
      environment: Object.fromEntries(
        Object.entries(template.environment).map(([variable, value]) => [
          variable,
          gateway.localEndpoints(value),
        ]),
      ),
    };
    if (!options.standIns?.[definition.name]) pools.set(definition.name, sandboxOf(definition, options));
  }

  // Each invocation gets Lambda's own request id, as in AWS: not API Gateway's.
  const invoke = async (name: string, event: unknown): Promise<unknown> => {
    const requestId = randomUUID();
    const definition = model.functions.get(name);
    if (!definition) throw new Error(`no function ${name} in the template`);
    const standIn = options.standIns?.[name];
    const result = standIn
      ? await standIn(event as never, standInContext(name, definition, requestId))
      : await pools.get(name)!.invoke(event, requestId);
    options.onInvoked?.(name, event, result);
    return result;
  };

  const authorizers = new Map<string, ReturnType<typeof createJwtAuthorizer>>();
  options.server.serve({
    routes: model.routes,
    invoke,
    originHeaders: await originHeaders(model.apiOriginHeaders, endpoints),
    apiPathPatterns: model.apiPathPatterns,
    authorize: async (route, authorization) => {
      const settings = route.authorizer!;
      const key = JSON.stringify(settings);
      let authorize = authorizers.get(key);
      if (!authorize) {
        authorize = createJwtAuthorizer(settings, endpoints.jwksUri);
        authorizers.set(key, authorize);
      }
      return (await authorize(authorization, route.scopes)) as Record<string, unknown>;
    },
    getImage: async (key) => {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: options.imageBucket, Key: key }));
        return { body: await object.Body!.transformToByteArray(), contentType: object.ContentType };
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    upgrade: gateway.upgrade,
  });

  const pollers: QueuePoller[] = [];
  const pollerClients: SQSClient[] = [];
  if (options.pollQueues !== false) {
    for (const source of model.eventSources) {
      const queueName = source.queueArn.split(':').pop()!;
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
      // Lambda polls a queue with the function's own role, so the poller signs as the function.
      const pollerSqs = new SQSClient({
        ...clientConfig('SQS', endpoint, region),
        credentials: {
          accessKeyId: functionAccessKeyId(source.function),
          secretAccessKey: endpoints.credentials.secretAccessKey,
        },
      });
      pollerClients.push(pollerSqs);
      pollers.push(
        startQueuePoller({
          sqs: pollerSqs,
          region,
          queueUrl: QueueUrl!,
          queueArn: source.queueArn,
          functionName: source.function,
          batchSize: source.batchSize,
          // Lambda scales a mapping up to its maximum concurrency; a laptop runs a few at most.
          concurrency: Math.min(source.maxConcurrency ?? defaultMaxInstances, defaultMaxInstances),
          reportBatchItemFailures: source.reportBatchItemFailures,
          invoke: (event: SQSEvent) => invoke(source.function, event),
          log: options.log,
        }),
      );
    }
  }

  return {
    invoke,
    /** The open WebSocket connections' ids. */
    connectionIds: gateway.connectionIds,
    /** Peak resident memory of a function's processes, in MB (see FunctionPool.peakMemoryMb). */
    peakMemoryMb: (name: string) => pools.get(name)?.peakMemoryMb(),
    stop: async () => {
      await Promise.all(pollers.map((poller) => poller.stop()));
      await gateway.close();
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
      for (const client of [sqs, s3, ...pollerClients]) client.destroy();
    },
  };
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;
