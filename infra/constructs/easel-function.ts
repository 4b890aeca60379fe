import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, type RemovalPolicy, Tags } from 'aws-cdk-lib';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { EnvField } from '../../shared/config.ts';
import { metricsNamespace } from '../../shared/metric-names.ts';
import { buckets, functionTag, table as tableDescription } from '../../shared/resources.ts';
import { functionBundling } from '../bundling.ts';
import type {
  ImageBucketAccess,
  ImageBucketAction,
  NativeModule,
  TableWrite,
} from '../function-permissions.ts';

export type QueueUrlVariable = Extract<EnvField, `${string}_QUEUE_URL`>;
export type SecretIdVariable = Extract<EnvField, `${string}_SECRET_ID`>;

export interface EaselFunctionProps {
  /** The entry is `functions/<name>.ts` under `projectRoot`. */
  readonly name: string;
  /** The variables the function reads (shared/function-config.ts); the `bind*` methods set only these. */
  readonly reads: readonly EnvField[];
  /** The directory holding `functions/` and `package-lock.json`. */
  readonly projectRoot: string;
  readonly stage: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Installed for linux-arm64 beside the bundle instead of bundled (see `nativeModuleHooks`). */
  readonly nativeModules?: readonly NativeModule[];
}

// No Scan: every listing is a Query (see DESIGN.md), so IAM refuses a Scan too.
const tableItemReads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem'];

const objectActions: Record<ImageBucketAction, string> = {
  // Also what a signed GET URL is checked against.
  read: 's3:GetObject',
  // A role that signs presigned POSTs must be allowed the PutObject it hands out.
  put: 's3:PutObject',
  delete: 's3:DeleteObject',
};

/** Every native module Easel uses; a function that imports one must list it (tests/infra checks). */
export const nativeModules: readonly NativeModule[] = ['sharp'];

const projectRoot = path.resolve(import.meta.dirname, '../..');
/**
 * A small npm project of its own holding Lambda's builds of the native modules, pinned in its
 * lock file; the root `postinstall` installs it for linux-arm64 (glibc), as its .npmrc says.
 */
export const lambdaNativeDirectory = path.join(projectRoot, 'infra', 'lambda-native');

interface LockEntry {
  readonly version: string;
  readonly os?: string[];
  readonly cpu?: string[];
  readonly libc?: string[];
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** What Lambda runs on: a package bound to another platform is left out. */
const onLambda = (entry: LockEntry) =>
  (entry.os ?? ['linux']).includes('linux') &&
  (entry.cpu ?? ['arm64']).includes('arm64') &&
  (entry.libc ?? ['glibc']).includes('glibc');

/**
 * The packages a native module needs on Lambda (itself, its dependencies and its optional
 * ones for linux-arm64), read from infra/lambda-native's lock file, after checking that it
 * pins the version Easel's package.json does, the one the tests ran against.
 */
export function lambdaPackagesOf(modules: readonly NativeModule[]): string[] {
  const packages: Record<string, LockEntry> = readJson(
    path.join(lambdaNativeDirectory, 'package-lock.json'),
  ).packages;
  const pinned = readJson(path.join(projectRoot, 'package.json')).dependencies ?? {};
  const found = new Set<string>();
  const visit = (name: string) => {
    const entry = packages[`node_modules/${name}`];
    if (!entry || !onLambda(entry) || found.has(name)) return;
    found.add(name);
    for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }))
      visit(dependency);
  };
  for (const name of modules) {
    const locked = packages[`node_modules/${name}`]?.version;
    if (locked !== pinned[name]) {
      throw new Error(
        `infra/lambda-native locks ${name}@${locked ?? 'nothing'}, but package.json pins ${name}@${pinned[name]}: set the same version in infra/lambda-native/package.json and run npm install there.`,
      );
    }
    visit(name);
  }
  return [...found].sort();
}

/**
 * A native module cannot be bundled: its binary is built for one platform. The bundle
 * leaves it out (every function, so a function that imports one without listing it fails
 * loudly at cold start), and a function that lists it gets Lambda's build (linux, arm64,
 * glibc) copied beside its bundle from infra/lambda-native, which `npm ci` installed: no
 * registry is needed to synthesize or deploy.
 */
export function nativeModuleHooks(modules: readonly NativeModule[]): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => {
      if (modules.length === 0) return [];
      const from = path.join(lambdaNativeDirectory, 'node_modules');
      return lambdaPackagesOf(modules).map(
        (name) =>
          `{ test -d "${from}/${name}" || { echo "${from} lacks ${name}: run npm ci (its postinstall installs Lambda's native modules)" >&2; exit 1; }; } && mkdir -p "$(dirname "${outputDir}/node_modules/${name}")" && cp -R "${from}/${name}" "${outputDir}/node_modules/${name}"`,
      );
    },
  };
}

/**
 * A Lambda function with the house defaults: Node 22 on arm64, one ESM bundle with the
 * SDK inside, source maps, JSON logs into its own log group, X-Ray, and alarms on errors
 * and throttles. Its role starts with nothing but its log group; each `bind*` method sets
 * an environment variable from shared/config.ts and the IAM grant that goes with it.
 */
export class EaselFunction extends Construct {
  readonly name: string;
  readonly reads: readonly EnvField[];
  readonly lambda: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly timeout: Duration;
  readonly errorsAlarm: Alarm;
  readonly throttlesAlarm: Alarm;
  private readonly bound = new Set<EnvField>();

  constructor(scope: Construct, id: string, props: EaselFunctionProps) {
    super(scope, id);
    this.name = props.name;
    this.reads = props.reads;
    this.timeout = props.timeout;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to its log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Easel ${props.stage} ${props.name}`,
    });
    this.logGroup.grantWrite(this.role);

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: path.join(props.projectRoot, 'functions', `${props.name}.ts`),
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      description: `Easel ${props.stage}: ${props.name}`,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        STAGE: props.stage,
        POWERTOOLS_SERVICE_NAME: 'easel',
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: functionBundling.target,
        minify: functionBundling.minify,
        sourceMap: functionBundling.sourceMap,
        sourcesContent: functionBundling.sourcesContent,
        // Bundle the SDK too: a pinned, tree-shaken SDK instead of whatever the runtime ships.
        // Native modules stay out; see nativeModuleHooks.
        externalModules: [...nativeModules],
        commandHooks: nativeModuleHooks(props.nativeModules ?? []),
        mainFields: [...functionBundling.mainFields],
        banner: functionBundling.banner,
      },
    });

    // The local runtime finds each function of the synthesized template by this tag.
    Tags.of(this.lambda).add(functionTag, props.name);

    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `${props.name} (${props.stage}) threw or timed out`,
      metric: this.lambda.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.throttlesAlarm = new Alarm(this, 'ThrottlesAlarm', {
      alarmDescription: `${props.name} (${props.stage}) was throttled`,
      metric: this.lambda.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    NagSuppressions.addResourceSuppressions(
      this.lambda,
      [
        {
          id: 'AwsSolutions-L1',
          reason:
            'Easel targets the Node.js 22 Lambda runtime (DESIGN.md); moving to a newer runtime is a deliberate upgrade, not a drift.',
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }

  /**
   * TABLE_NAME; GetItem and BatchGetItem on the table, Query on it and its indexes, and
   * only the item `writes` given, on the table alone (items are written through the table).
   */
  bindTable(table: ITableV2, writes: readonly TableWrite[]): void {
    this.setEnv('TABLE_NAME', table.tableName);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...tableItemReads, ...writes.map((write) => `dynamodb:${write}`)],
        resources: [table.tableArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [table.tableArn, `${table.tableArn}/index/*`],
      }),
    );
    this.suppressWildcard(
      tableDescription.id,
      '/index/*',
      'Queries run on the table’s global secondary indexes, whose ARNs are the table ARN followed by /index/<name>.',
    );
  }

  /** IMAGE_BUCKET, and each object action on the keys under its prefixes only. */
  bindImageBucket(bucket: IBucket, access: ImageBucketAccess): void {
    this.setEnv('IMAGE_BUCKET', bucket.bucketName);
    for (const [action, prefixes] of Object.entries(access) as [ImageBucketAction, readonly string[]][]) {
      if (prefixes.length === 0) continue;
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [objectActions[action]],
          resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
        }),
      );
      for (const prefix of prefixes) {
        this.suppressWildcard(
          buckets.images.id,
          `/${prefix}*`,
          `Objects under ${prefix} have keys made at run time (ULIDs), so the grant covers that prefix, and only it.`,
        );
      }
    }
    if (access.read?.length) {
      // Without ListBucket a missing key answers 403 instead of 404.
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    }
  }

  /** The queue's URL under `variable`, and SendMessage on it. */
  bindQueue(variable: QueueUrlVariable, queue: IQueue): void {
    this.setEnv(variable, queue.queueUrl);
    queue.grantSendMessages(this.role);
  }

  /**
   * Consumes `queue` with partial batch failures, so one bad message is retried alone. No
   * URL variable: a worker that delays a retry asks the queue's URL by the record's ARN.
   */
  consume(queue: IQueue, options: { batchSize: number; maxConcurrency: number }): void {
    this.lambda.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }

  /**
   * Those of USER_POOL_ID and USER_POOL_CLIENT_ID the function reads (most call Cognito
   * with the client id alone; verifying tokens takes both), and only the Cognito
   * `actions` listed (often none).
   */
  bindUserPool(pool: IUserPool, client: IUserPoolClient, actions: readonly string[]): void {
    const ids = { USER_POOL_ID: pool.userPoolId, USER_POOL_CLIENT_ID: client.userPoolClientId };
    const read = this.reads.filter((variable): variable is keyof typeof ids => variable in ids);
    if (read.length === 0) {
      throw new Error(
        `Function "${this.name}" is given a user pool by infra/function-permissions.ts, but reads neither USER_POOL_ID nor USER_POOL_CLIENT_ID (functions/${this.name}.ts via shared/function-config.ts): remove its \`userPool\`.`,
      );
    }
    for (const variable of read) this.setEnv(variable, ids[variable]);
    if (actions.length > 0) pool.grant(this.role, ...actions);
  }

  /** The secret's ARN under `variable`, and GetSecretValue on it; the value is read at cold start. */
  bindSecret(variable: SecretIdVariable, secret: ISecret): void {
    this.setEnv(variable, secret.secretArn);
    secret.grantRead(this.role);
  }

  /** CDN_BASE_URL: `https://<site domain>`; a public image's URL is this plus `/` plus its `img/...` key. */
  setCdnBaseUrl(url: string): void {
    this.setEnv('CDN_BASE_URL', url);
  }

  /** DISTRIBUTION_ID, and CreateInvalidation on this distribution only. */
  bindDistribution(distribution: IDistribution): void {
    this.setEnv('DISTRIBUTION_ID', distribution.distributionId);
    distribution.grantCreateInvalidation(this.role);
  }

  /**
   * LIVE_CONNECTIONS_URL: the live-updates stage's management API, and ManageConnections
   * on that stage's `@connections` alone, to post job changes to sockets.
   */
  bindLiveConnections(stage: WebSocketStage): void {
    this.setEnv('LIVE_CONNECTIONS_URL', stage.callbackUrl);
    stage.grantManagementApiAccess(this.role);
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Connection ids are made by API Gateway at run time: the grant covers the @connections of the live-updates stage, and only them.',
          appliesTo: [{ regex: '/^Resource::arn:.*:execute-api:.*\\/@connections\\/\\*$/' }],
        },
      ],
      true,
    );
  }

  /** The variables of shared/config.ts the `bind*` methods have set (the house defaults aside). */
  get boundVariables(): ReadonlySet<EnvField> {
    return this.bound;
  }

  private setEnv(variable: EnvField, value: string): void {
    this.lambda.addEnvironment(variable, value);
    this.bound.add(variable);
  }

  /** cdk-nag names the resource by its logical id, or by the stateful stack's output for it. */
  private suppressWildcard(resourceId: string, suffix: string, reason: string): void {
    const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason,
          appliesTo: [{ regex: `/^Resource::.*${literal(resourceId)}.*${literal(suffix)}$/` }],
        },
      ],
      true,
    );
  }
}
