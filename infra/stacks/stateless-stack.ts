import path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { EnvField } from '../../shared/config.ts';
import { functionConfig } from '../../shared/function-config.ts';
import { apiFunctions, liveSocketRoutes, routeList } from '../../shared/http/routes.ts';
import { type QueueName, queues, uploadPrefix } from '../../shared/resources.ts';
import { Api } from '../constructs/api.ts';
import { EaselFunction, type QueueUrlVariable, type SecretIdVariable } from '../constructs/easel-function.ts';
import { LiveUpdates, liveStageName } from '../constructs/live-updates.ts';
import { Operations } from '../constructs/operations.ts';
import { SiteDistribution, type SiteDomain } from '../constructs/site-distribution.ts';
import { WorkQueue } from '../constructs/work-queue.ts';
import {
  checkEnvironment,
  checkPermissions,
  type FunctionPermissions,
  type SecretName,
} from '../function-permissions.ts';
import { checkQueueConsumer } from '../queue-rules.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly stage: string;
  readonly stateful: StatefulStack;
  /** The directory holding `functions/`, `package-lock.json` and `web/dist`. */
  readonly projectRoot: string;
  readonly permissions: Readonly<Record<string, FunctionPermissions>>;
  readonly domain?: SiteDomain;
  /** A WAF web ACL (in us-east-1) for the distribution. */
  readonly webAclArn?: string;
  /** `deploy`: the built gallery (`web/dist`) goes to the web bucket, and synth fails when it is not built. */
  readonly gallery: 'deploy' | 'skip';
  readonly logRemovalPolicy: RemovalPolicy;
  /** Subscribed to the stage's alarm topic. */
  readonly alarmEmail?: string;
}

/** Per-stage throttling of the whole API, in front of the per-user quotas. */
const apiThrottle = { rateLimit: 100, burstLimit: 200 };
/** Socket opens, closes and messages per second for the whole live-updates stage. */
const liveThrottle = { rateLimit: 50, burstLimit: 100 };

/**
 * The public account routes, throttled on their own (requests per second for the whole
 * stage; API Gateway has no per-caller throttle): those that make Cognito send an e-mail
 * tightest, since the pool's sender allows only so many a day; those that check a password
 * or a code tight enough to slow guessing. Cognito's own quotas stand behind them.
 */
export const authRouteThrottles = {
  signUp: { rateLimit: 2, burstLimit: 5 },
  resendCode: { rateLimit: 2, burstLimit: 5 },
  forgotPassword: { rateLimit: 2, burstLimit: 5 },
  confirmSignUp: { rateLimit: 5, burstLimit: 10 },
  resetPassword: { rateLimit: 5, burstLimit: 10 },
  answerMfaChallenge: { rateLimit: 5, burstLimit: 10 },
  logIn: { rateLimit: 10, burstLimit: 20 },
  refresh: { rateLimit: 20, burstLimit: 40 },
} as const;

/** The dead-letter queues are small and drained by one function: little batching, little concurrency. */
const deadLetterConsumer = { batchSize: 10, maxConcurrency: 2 };

const secretVariables = {
  openAi: 'OPENAI_SECRET_ID',
  cursor: 'CURSOR_SECRET_ID',
} as const satisfies Record<SecretName, SecretIdVariable>;

function queueUrlVariable(name: QueueName): QueueUrlVariable {
  return `${name.toUpperCase() as Uppercase<QueueName>}_QUEUE_URL`;
}

/** The variables a function reads, by its declaration in shared/function-config.ts. */
function readsOf(name: string): readonly EnvField[] {
  const reads = (functionConfig as Readonly<Record<string, readonly EnvField[]>>)[name];
  if (!reads) {
    throw new Error(
      `Function "${name}" has no entry in shared/function-config.ts: declare the environment variables functions/${name}.ts reads.`,
    );
  }
  return reads;
}

function constructId(functionName: string): string {
  return functionName.replace(/(^|-)([a-z0-9])/g, (_, _dash, letter: string) => letter.toUpperCase());
}

/**
 * What changes with every deployment and holds no data: functions, queues, the HTTP API
 * and CloudFront. It may be destroyed and recreated; the stateful stack keeps the data.
 */
export class StatelessStack extends Stack {
  readonly functions: ReadonlyMap<string, EaselFunction>;
  readonly queues: Readonly<Record<QueueName, WorkQueue>>;
  readonly api: Api;
  readonly live: LiveUpdates;
  readonly site: SiteDistribution;
  readonly operations: Operations;
  readonly originSecret: Secret;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful } = props;

    // Imported by name and ARN, so that nothing created here (event notifications, OAC
    // origins, deployments) is written into the stateful stack: that stack must never
    // depend on this one.
    const imageBucket = Bucket.fromBucketAttributes(this, 'ImageBucketRef', {
      bucketArn: stateful.imageBucket.bucketArn,
      bucketName: stateful.imageBucket.bucketName,
    });
    const webBucket = Bucket.fromBucketAttributes(this, 'WebBucketRef', {
      bucketArn: stateful.webBucket.bucketArn,
      bucketName: stateful.webBucket.bucketName,
    });
    const logBucket = Bucket.fromBucketAttributes(this, 'LogBucketRef', {
      bucketArn: stateful.logBucket.bucketArn,
      bucketName: stateful.logBucket.bucketName,
    });

    const workQueues = Object.fromEntries(
      Object.entries(queues).map(([name, description]) => [
        name,
        new WorkQueue(this, description.id, { description, stage: props.stage }),
      ]),
    ) as Record<QueueName, WorkQueue>;
    this.queues = workQueues;

    // Holds no data: a new value on re-creation reaches CloudFront and the functions together.
    this.originSecret = new Secret(this, 'ApiOriginSecret', {
      description: `Easel ${props.stage}: CloudFront sends it to the HTTP API, which refuses requests without it`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.originSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'CloudFront reads it at deploy into its origin configuration: a rotation outside CloudFormation would lock CloudFront out of the API. Replace it with a deploy instead (change the construct id).',
      },
    ]);

    const routesByFunction = apiFunctions();
    const names = checkPermissions(routesByFunction, props.permissions);

    // Before the functions: those that write job statuses post them to its stage.
    this.live = new LiveUpdates(this, 'LiveUpdates', {
      stage: props.stage,
      throttle: liveThrottle,
      logRemovalPolicy: props.logRemovalPolicy,
    });

    const secrets = { openAi: stateful.openAiSecret, cursor: stateful.cursorSecret };
    const functions = new Map<string, EaselFunction>();
    for (const name of names) {
      const spec = props.permissions[name]!;
      const fn = new EaselFunction(this, constructId(name), {
        name,
        reads: readsOf(name),
        projectRoot: props.projectRoot,
        stage: props.stage,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(spec.timeoutSeconds),
        logRemovalPolicy: props.logRemovalPolicy,
        nativeModules: spec.nativeModules,
      });
      if (spec.table) fn.bindTable(stateful.table, spec.table);
      if (spec.imageBucket) fn.bindImageBucket(imageBucket, spec.imageBucket);
      for (const queue of spec.sendsTo ?? []) fn.bindQueue(queueUrlVariable(queue), workQueues[queue].queue);
      if (spec.userPool) fn.bindUserPool(stateful.userPool, stateful.userPoolClient, spec.userPool);
      for (const secret of spec.secrets ?? []) fn.bindSecret(secretVariables[secret], secrets[secret]);
      if (spec.postsJobChanges) fn.bindLiveConnections(this.live.stage);
      // Every API function refuses requests that did not come through CloudFront; so does the socket.
      if (routesByFunction.has(name) || name === liveSocketRoutes.function)
        fn.bindSecret('ORIGIN_SECRET_ID', this.originSecret);
      functions.set(name, fn);
    }
    this.functions = functions;

    for (const [name, description] of Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][]) {
      const { queue, deadLetterQueue } = workQueues[name];
      const worker = functions.get(description.worker)!;
      const dlqWorker = functions.get(description.dlqWorker)!;
      checkQueueConsumer({
        queue: description.id,
        visibilityTimeoutSeconds: description.visibilityTimeoutSeconds,
        maxReceiveCount: description.maxReceiveCount,
        functionName: description.worker,
        functionTimeoutSeconds: worker.timeout.toSeconds(),
      });
      checkQueueConsumer({
        queue: `${description.id}'s dead-letter queue`,
        visibilityTimeoutSeconds: description.deadLetterVisibilityTimeoutSeconds,
        functionName: description.dlqWorker,
        functionTimeoutSeconds: dlqWorker.timeout.toSeconds(),
      });
      worker.consume(queue, {
        batchSize: description.batchSize,
        maxConcurrency: description.maxConcurrency,
      });
      dlqWorker.consume(deadLetterQueue, deadLetterConsumer);
    }

    // Created here on the imported bucket (a BucketNotifications custom resource that
    // merges with, rather than replaces, the bucket's other notifications).
    imageBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(workQueues.uploads.queue), {
      prefix: uploadPrefix,
    });

    this.api = new Api(this, 'Api', {
      stage: props.stage,
      routes: routeList,
      handlers: new Map([...routesByFunction.keys()].map((name) => [name, functions.get(name)!.lambda])),
      userPool: stateful.userPool,
      userPoolClient: stateful.userPoolClient,
      throttle: apiThrottle,
      routeThrottles: authRouteThrottles,
      logRemovalPolicy: props.logRemovalPolicy,
    });

    this.live.route(liveSocketRoutes.routeKeys, functions.get(liveSocketRoutes.function)!.lambda);

    this.site = new SiteDistribution(this, 'Site', {
      webBucket,
      imageBucket,
      logBucket,
      apiDomainName: this.api.domainName,
      apiOriginSecret: this.originSecret,
      live: { domainName: this.live.domainName, stageName: liveStageName, path: liveSocketRoutes.path },
      domain: props.domain,
      webAclArn: props.webAclArn,
      webDist: props.gallery === 'deploy' ? path.join(props.projectRoot, 'web', 'dist') : undefined,
      logRemovalPolicy: props.logRemovalPolicy,
    });

    // No cycle: the distribution depends on the API resource only (its execute-api
    // domain), not on routes or integrations, so functions can depend on the distribution.
    for (const [name, fn] of functions) {
      if (props.permissions[name]!.cdnBaseUrl) fn.setCdnBaseUrl(this.site.url);
      if (props.permissions[name]!.invalidatesCdn) fn.bindDistribution(this.site.distribution);
    }
    this.operations = new Operations(this, 'Operations', {
      stage: props.stage,
      alarmEmail: props.alarmEmail,
      api: this.api,
      queues: workQueues,
      functions,
    });

    // Last, once every variable is bound.
    for (const fn of functions.values()) checkEnvironment(fn);

    suppressCustomResourceFindings(this);

    new CfnOutput(this, 'SiteUrl', { value: this.site.url });
    new CfnOutput(this, 'ApiUrl', { value: `${this.site.url}/api` });
    new CfnOutput(this, 'DistributionId', { value: this.site.distribution.distributionId });
    for (const [name, { queue, deadLetterQueue }] of Object.entries(workQueues)) {
      new CfnOutput(this, `${constructId(name)}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${constructId(name)}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }
  }
}

/** CDK's own singleton handlers (S3 notifications, gallery deployment) are not ours to shape. */
function suppressCustomResourceFindings(stack: Stack): void {
  for (const child of stack.node.children) {
    const handler = child.node.id;
    if (handler.startsWith('BucketNotificationsHandler')) {
      NagSuppressions.addResourceSuppressions(
        child,
        [
          {
            id: 'AwsSolutions-IAM4',
            reason: 'CDK’s BucketNotifications handler uses AWSLambdaBasicExecutionRole for its logs.',
            appliesTo: [
              'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
            ],
          },
        ],
        true,
      );
    }
    if (handler.startsWith('Custom::CDKBucketDeployment')) {
      NagSuppressions.addResourceSuppressions(
        child,
        [
          {
            id: 'AwsSolutions-IAM4',
            reason: 'CDK’s BucketDeployment handler uses AWSLambdaBasicExecutionRole for its logs.',
            appliesTo: [
              'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
            ],
          },
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'CDK’s BucketDeployment handler copies the gallery from the CDK asset bucket to the web bucket (object wildcards) and invalidates the distribution.',
          },
          {
            id: 'AwsSolutions-L1',
            reason: 'The runtime of CDK’s BucketDeployment handler is chosen by aws-cdk-lib.',
          },
        ],
        true,
      );
    }
  }
}
