import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  paginateListUserPoolClients,
  paginateListUserPools,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type QueueConfiguration,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { EnvField } from '../../shared/config.ts';
import {
  deadLetterRetentionDays,
  expiringObjects,
  localName,
  type QueueName,
  queues,
  table,
  uploadPrefix,
  userPool,
} from '../../shared/resources.ts';
import { clientConfig, type EmulatedService, localAwsDefaults } from './emulator.ts';
import { projectRoot } from './venv.ts';

/** Everything a local process needs to find the provisioned resources. */
export interface LocalStack {
  readonly endpoint: string;
  readonly region: string;
  readonly tableName: string;
  readonly imageBucket: string;
  readonly webBucket: string;
  readonly jobsQueueUrl: string;
  readonly jobsDlqUrl: string;
  readonly uploadsQueueUrl: string;
  readonly uploadsDlqUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly jwksUri: string;
  /** The `AWS_ENDPOINT_URL_<SERVICE>` variables in force when provisioning, passed on to the functions. */
  readonly serviceEndpoints: Readonly<Record<string, string>>;
}

export interface ProvisionOptions {
  readonly endpoint: string;
  /** Prefix of every local name; default `easel`. */
  readonly prefix?: string;
  readonly region?: string;
  /** Where the stack is written; default `.local/stack.json`, `false` to write nothing. */
  readonly stackFile?: string | false;
}

export const defaultStackFile = join(projectRoot, '.local', 'stack.json');

const services: readonly EmulatedService[] = ['S3', 'SQS', 'DYNAMODB', 'COGNITO_IDENTITY_PROVIDER'];

/** Creates, or brings up to date, every resource of `shared/resources.ts` in the emulator. */
export async function provision(options: ProvisionOptions): Promise<LocalStack> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const prefix = options.prefix ?? 'easel';
  const region = options.region ?? process.env.AWS_REGION ?? localAwsDefaults.AWS_REGION;
  const dynamodb = new DynamoDBClient(clientConfig('DYNAMODB', endpoint, region));
  const s3 = new S3Client(clientConfig('S3', endpoint, region));
  const sqs = new SQSClient(clientConfig('SQS', endpoint, region));
  const cognito = new CognitoIdentityProviderClient(
    clientConfig('COGNITO_IDENTITY_PROVIDER', endpoint, region),
  );

  try {
    const tableName = localName(prefix, 'table');
    const imageBucket = localName(prefix, 'images');
    const webBucket = localName(prefix, 'web');
    await ensureTable(dynamodb, tableName);
    await ensureBucket(s3, imageBucket, region);
    await ensureBucket(s3, webBucket, region);
    await configureImageBucket(s3, imageBucket);
    const jobs = await ensureQueuePair(sqs, prefix, 'jobs');
    const uploads = await ensureQueuePair(sqs, prefix, 'uploads');
    await routeUploadsToQueue(s3, sqs, imageBucket, uploads.queue);
    const { userPoolId, userPoolClientId } = await ensureUserPool(cognito, prefix);

    const serviceEndpoints = Object.fromEntries(
      services.flatMap((service) => {
        const value = process.env[`AWS_ENDPOINT_URL_${service}`];
        return value ? [[`AWS_ENDPOINT_URL_${service}`, value]] : [];
      }),
    );
    const cognitoEndpoint = (serviceEndpoints.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? endpoint).replace(
      /\/+$/,
      '',
    );
    // moto builds queue URLs from the request's host, so they reach it from wherever `endpoint` does.
    const stack: LocalStack = {
      endpoint,
      region,
      tableName,
      imageBucket,
      webBucket,
      jobsQueueUrl: jobs.queue.url,
      jobsDlqUrl: jobs.dlq.url,
      uploadsQueueUrl: uploads.queue.url,
      uploadsDlqUrl: uploads.dlq.url,
      userPoolId,
      userPoolClientId,
      // moto serves one fixed key (kid "dummy") for every pool at this path, while its tokens name
      // the AWS issuer; CognitoJwtVerifier takes no JWKS URL, so verifiers get a JwksCache whose
      // fetcher reads this one.
      jwksUri: `${cognitoEndpoint}/${userPoolId}/.well-known/jwks.json`,
      serviceEndpoints,
    };
    const stackFile = options.stackFile ?? defaultStackFile;
    if (stackFile !== false) {
      await mkdir(dirname(stackFile), { recursive: true });
      await writeFile(stackFile, `${JSON.stringify(stack, null, 2)}\n`);
    }
    return stack;
  } finally {
    for (const client of [dynamodb, s3, sqs, cognito]) client.destroy();
  }
}

/** The environment of a function process running against the local stack (names of `shared/config.ts`). */
export function functionEnv(stack: LocalStack): Record<string, string> {
  const config = {
    AWS_REGION: stack.region,
    TABLE_NAME: stack.tableName,
    IMAGE_BUCKET: stack.imageBucket,
    JOBS_QUEUE_URL: stack.jobsQueueUrl,
    UPLOADS_QUEUE_URL: stack.uploadsQueueUrl,
    USER_POOL_ID: stack.userPoolId,
    USER_POOL_CLIENT_ID: stack.userPoolClientId,
    JWKS_URI: stack.jwksUri,
  } satisfies Partial<Record<EnvField, string>>;
  return {
    ...config,
    AWS_ENDPOINT_URL: stack.endpoint,
    ...stack.serviceEndpoints,
    AWS_ACCESS_KEY_ID: localAwsDefaults.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: localAwsDefaults.AWS_SECRET_ACCESS_KEY,
  };
}

async function ensureTable(dynamodb: DynamoDBClient, tableName: string) {
  const keyNames = [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributeDefinitions: AttributeDefinition[] = [...new Set(keyNames)].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  const indexes: GlobalSecondaryIndex[] = table.indexes.map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  }));

  const existing = await describeTable(dynamodb, tableName);
  if (!existing) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions,
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes,
      }),
    );
  } else {
    const present = new Set(existing.GlobalSecondaryIndexes?.map((index) => index.IndexName));
    // DynamoDB takes one new index per UpdateTable, each after the previous one is active.
    for (const index of indexes.filter((index) => !present.has(index.IndexName))) {
      await waitUntilActive(dynamodb, tableName);
      await dynamodb.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    }
  }
  await waitUntilActive(dynamodb, tableName);

  const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const { TimeToLiveStatus: status, AttributeName: attribute } = ttl.TimeToLiveDescription ?? {};
  if (!(attribute === table.ttlAttribute && (status === 'ENABLED' || status === 'ENABLING'))) {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      }),
    );
  }
}

async function describeTable(
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(dynamodb: DynamoDBClient, tableName: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await describeTable(dynamodb, tableName);
    const active =
      description?.TableStatus === 'ACTIVE' &&
      (description.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (active) return;
    if (Date.now() > deadline)
      throw new Error(`provision: table ${tableName} is not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function ensureBucket(s3: S3Client, bucket: string, region: string) {
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region that refuses an explicit location constraint.
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
  }
}

async function configureImageBucket(s3: S3Client, bucket: string) {
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            // The gallery's dev server and the local runtime post uploads straight to the bucket.
            AllowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
            AllowedMethods: ['POST', 'PUT', 'GET', 'HEAD'],
            AllowedHeaders: ['*'],
            ExposeHeaders: ['ETag', 'Location'],
            MaxAgeSeconds: 3000,
          },
        ],
      },
    }),
  );
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: {
        Rules: expiringObjects.map(({ prefix, days }) => ({
          ID: `expire-${prefix.replace(/\W+/g, '')}`,
          Status: 'Enabled',
          Filter: { Prefix: prefix },
          Expiration: { Days: days },
        })),
      },
    }),
  );
}

interface Queue {
  readonly url: string;
  readonly arn: string;
}

const day = 24 * 60 * 60;

async function ensureQueuePair(sqs: SQSClient, prefix: string, name: QueueName) {
  const description = queues[name];
  const dlq = await ensureQueue(sqs, localName(prefix, `${name}-dlq`), {
    // Failed messages are kept as long as SQS allows, for the DLQ handler and for inspection.
    MessageRetentionPeriod: String(deadLetterRetentionDays * day),
  });
  const queue = await ensureQueue(sqs, localName(prefix, name), {
    VisibilityTimeout: String(description.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(description.retentionDays * day),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: description.maxReceiveCount,
    }),
  });
  return { queue, dlq };
}

async function ensureQueue(
  sqs: SQSClient,
  queueName: string,
  attributes: Partial<Record<QueueAttributeName, string>>,
): Promise<Queue> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
  } catch (error) {
    if ((error as Error).name !== 'QueueDoesNotExist') throw error;
  }
  if (url) {
    // CreateQueue refuses an existing name with other attributes; settings are updated instead.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  } else {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }))).QueueUrl;
  }
  if (!url) throw new Error(`provision: no URL for queue ${queueName}`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`provision: no ARN for queue ${queueName}`);
  return { url, arn };
}

async function routeUploadsToQueue(s3: S3Client, sqs: SQSClient, bucket: string, queue: Queue) {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const account = queue.arn.split(':')[4];
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queue.url,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ImageBucketUploads',
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queue.arn,
              Condition: {
                ArnLike: { 'aws:SourceArn': bucketArn },
                StringEquals: { 'aws:SourceAccount': account },
              },
            },
          ],
        }),
      },
    }),
  );

  const wanted: QueueConfiguration = {
    Id: 'uploads-to-queue',
    QueueArn: queue.arn,
    Events: ['s3:ObjectCreated:*'],
    Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: uploadPrefix }] } },
  };
  const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  const configured = [
    ...(current.QueueConfigurations ?? []),
    ...(current.TopicConfigurations ?? []),
    ...(current.LambdaFunctionConfigurations ?? []),
  ];
  // Each PutBucketNotificationConfiguration sends an s3:TestEvent to the queue (AWS and moto alike),
  // so an unchanged configuration is left alone.
  if (configured.length === 1 && sameQueueConfiguration(current.QueueConfigurations?.[0], wanted)) return;
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { QueueConfigurations: [wanted] },
    }),
  );
}

type PoolSettings = Pick<
  UserPoolType,
  'Policies' | 'AutoVerifiedAttributes' | 'AccountRecoverySetting' | 'AdminCreateUserConfig'
>;

/** The settings provisioning manages, in a comparable form (Describe adds defaults of its own). */
function poolSettingsKey(pool: PoolSettings) {
  const policy = pool.Policies?.PasswordPolicy;
  return JSON.stringify([
    policy?.MinimumLength,
    policy?.RequireLowercase,
    policy?.RequireUppercase,
    policy?.RequireNumbers,
    policy?.RequireSymbols,
    [...(pool.AutoVerifiedAttributes ?? [])].sort(),
    (pool.AccountRecoverySetting?.RecoveryMechanisms ?? []).map((mechanism) => [
      mechanism.Name,
      mechanism.Priority,
    ]),
    pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
  ]);
}

function assertEmailSignIn(pool: UserPoolType, poolName: string) {
  if (!pool.UsernameAttributes?.includes('email')) {
    throw new Error(
      `provision: user pool ${poolName} does not sign in by e-mail (UsernameAttributes cannot be changed); ` +
        'delete it, or restart the emulator, and provision again',
    );
  }
}

function sameQueueConfiguration(a: QueueConfiguration | undefined, b: QueueConfiguration) {
  const normalise = (c: QueueConfiguration | undefined) =>
    JSON.stringify([
      c?.QueueArn,
      [...(c?.Events ?? [])].sort(),
      (c?.Filter?.Key?.FilterRules ?? []).map((rule) => [rule.Name?.toLowerCase(), rule.Value]),
    ]);
  return normalise(a) === normalise(b);
}

async function ensureUserPool(cognito: CognitoIdentityProviderClient, prefix: string) {
  const poolName = `${prefix}-users`;
  const { passwordPolicy } = userPool;
  // UpdateUserPool resets what it is not given, so create and update share these.
  const settings = {
    Policies: {
      PasswordPolicy: {
        MinimumLength: passwordPolicy.minLength,
        RequireLowercase: passwordPolicy.requireLowercase,
        RequireUppercase: passwordPolicy.requireUppercase,
        RequireNumbers: passwordPolicy.requireDigits,
        RequireSymbols: passwordPolicy.requireSymbols,
      },
    },
    AutoVerifiedAttributes: ['email' as const],
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email' as const, Priority: 1 }] },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
  };

  const found: string[] = [];
  for await (const page of paginateListUserPools({ client: cognito }, { MaxResults: 60 })) {
    for (const pool of page.UserPools ?? []) if (pool.Name === poolName && pool.Id) found.push(pool.Id);
  }
  if (found.length > 1)
    throw new Error(`provision: ${found.length} user pools are named ${poolName}; delete all but one`);
  let userPoolId = found[0];
  if (userPoolId) {
    const describe = async (id: string) =>
      (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool ?? {};
    const current = await describe(userPoolId);
    assertEmailSignIn(current, poolName);
    // moto's UpdateUserPool replaces the pool's whole configuration, e-mail sign-in included
    // (AWS keeps what UpdateUserPool cannot change), so an unchanged pool is not updated.
    if (poolSettingsKey(current) !== poolSettingsKey(settings)) {
      await cognito.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, ...settings }));
      assertEmailSignIn(await describe(userPoolId), poolName);
    }
  } else {
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: poolName,
        ...settings,
        // Fixed at creation: sign-in is by e-mail, whatever its case. moto ignores CaseSensitive
        // (Ada@x.com and ada@x.com become two users), so callers lowercase e-mails themselves.
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        // The standard `name` attribute carries the display name.
        Schema: [
          { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
          { Name: 'name', AttributeDataType: 'String', Required: false, Mutable: true },
        ],
      }),
    );
    userPoolId = created.UserPool?.Id;
  }
  if (!userPoolId) throw new Error(`provision: no id for user pool ${poolName}`);

  const clientName = `${prefix}-web`;
  const clientSettings = {
    ClientName: clientName,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const],
    AccessTokenValidity: userPool.accessTokenValidityMinutes,
    IdTokenValidity: userPool.idTokenValidityMinutes,
    RefreshTokenValidity: userPool.refreshTokenValidityDays,
    TokenValidityUnits: {
      AccessToken: 'minutes' as const,
      IdToken: 'minutes' as const,
      RefreshToken: 'days' as const,
    },
    PreventUserExistenceErrors: 'ENABLED' as const,
    EnableTokenRevocation: true,
  };
  let userPoolClientId: string | undefined;
  for await (const page of paginateListUserPoolClients(
    { client: cognito },
    { UserPoolId: userPoolId, MaxResults: 60 },
  )) {
    userPoolClientId ??= page.UserPoolClients?.find((client) => client.ClientName === clientName)?.ClientId;
  }
  if (userPoolClientId) {
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientId: userPoolClientId,
        ...clientSettings,
      }),
    );
  } else {
    const created = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: userPoolId, GenerateSecret: false, ...clientSettings }),
    );
    userPoolClientId = created.UserPoolClient?.ClientId;
  }
  if (!userPoolClientId) throw new Error(`provision: no id for app client ${clientName}`);
  return { userPoolId, userPoolClientId };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';
  provision({ endpoint }).then(
    (stack) => console.log(JSON.stringify(stack, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
