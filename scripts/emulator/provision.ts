import { randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolRequest,
  paginateListUserPoolClients,
  paginateListUserPools,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  type LifecycleRule,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type QueueConfiguration,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AssemblyStack, CloudAssembly, TemplateResource } from '../assembly/cloud-assembly.ts';
import { type LocalAttributes, TemplateResolver, UnresolvableValueError } from '../assembly/intrinsics.ts';
import { functionNameOf, siteOrigins } from '../assembly/runtime-model.ts';
import { clientConfig, type EmulatedService, localAccountId, localAwsDefaults } from './emulator.ts';
import { projectRoot } from './venv.ts';

/** Everything a local process needs to find the provisioned resources (written to `.local/stack.json`). */
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
  readonly accountsQueueUrl: string;
  readonly accountsDlqUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** Where the emulator serves the user pool's signing keys (in AWS, the issuer's own URL). */
  readonly jwksUri: string;
  /** The `AWS_ENDPOINT_URL_<SERVICE>` variables in force when provisioning, passed on to the functions. */
  readonly serviceEndpoints: Readonly<Record<string, string>>;
  /** Every output of both stacks, resolved to the local resources. */
  readonly outputs: Readonly<Record<string, string>>;
}

export interface ProvisionOptions {
  readonly endpoint: string;
  readonly assembly: CloudAssembly;
  /** The local runtime's URL, standing in for CloudFront and the HTTP API. */
  readonly siteUrl: string;
  /** Prefix of every local name; default `easel`. */
  readonly prefix?: string;
  readonly region?: string;
  /** Where the stack is written; default `.local/stack.json`, `false` to write nothing. */
  readonly stackFile?: string | false;
}

export interface ProvisionedStack {
  readonly local: LocalStack;
  /** Resolves the templates' values against what was provisioned. */
  readonly resolver: TemplateResolver;
}

export const defaultStackFile = join(projectRoot, '.local', 'stack.json');

const services: readonly EmulatedService[] = [
  'S3',
  'SQS',
  'DYNAMODB',
  'COGNITO_IDENTITY_PROVIDER',
  'SECRETS_MANAGER',
];

/**
 * What the local stack deliberately leaves out, by resource type. Everything else in the
 * templates is created in the emulator, stands in the local runtime, or stops the start.
 */
const notProvisioned: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'the emulator enforces no IAM',
  'AWS::IAM::Policy': 'the emulator enforces no IAM',
  'AWS::S3::BucketPolicy': 'the emulator enforces no bucket policies',
  'AWS::Logs::LogGroup': 'function logs go to the terminal',
  'AWS::CloudWatch::Alarm': 'no CloudWatch locally',
  'AWS::CloudWatch::Dashboard': 'no CloudWatch locally',
  'AWS::SNS::Topic': 'alarms do not fire locally',
  'AWS::SNS::Subscription': 'alarms do not fire locally',
  'AWS::SNS::TopicPolicy': 'alarms do not fire locally',
  'AWS::Lambda::Permission': 'the local runtime invokes functions itself',
  'AWS::CloudFront::CachePolicy': 'the local runtime serves the site uncached',
  'AWS::CloudFront::Function': 'the local runtime serves the gallery’s routes itself',
  'AWS::CloudFront::OriginAccessControl': 'the local runtime reads the image bucket itself',
  'AWS::CloudFront::ResponseHeadersPolicy': 'the local runtime serves the site',
  'AWS::ApiGatewayV2::Stage':
    'the local runtime is the one stage (a WebSocket API’s stage name is read from it)',
  'AWS::CDK::Metadata': 'CDK bookkeeping',
  'Custom::CDKBucketDeployment': 'the local runtime serves web/dist directly',
  'AWS::Lambda::LayerVersion': 'only CDK’s gallery deployment uses one (the AWS CLI layer)',
};

/** Resource types the local runtime reads from the template and serves itself. */
const servedByRuntime = new Set([
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::CloudFront::Distribution',
]);

/**
 * Creates, or brings up to date, every resource of the synthesized templates in the
 * emulator: what the stateful stack holds (table, buckets, user pool, secrets) and what
 * the stateless stack wires (queues, their policies, the bucket's notifications). The
 * templates are the only description; a resource of a type not mapped here stops it.
 */
export async function provision(options: ProvisionOptions): Promise<ProvisionedStack> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const prefix = options.prefix ?? 'easel';
  const region = options.region ?? process.env.AWS_REGION ?? localAwsDefaults.AWS_REGION;
  const { assembly } = options;
  const clients = {
    dynamodb: new DynamoDBClient(clientConfig('DYNAMODB', endpoint, region)),
    s3: new S3Client(clientConfig('S3', endpoint, region)),
    sqs: new SQSClient(clientConfig('SQS', endpoint, region)),
    cognito: new CognitoIdentityProviderClient(clientConfig('COGNITO_IDENTITY_PROVIDER', endpoint, region)),
    secrets: new SecretsManagerClient(clientConfig('SECRETS_MANAGER', endpoint, region)),
  };
  const resolver = new TemplateResolver([assembly.stateful, assembly.stateless], {
    region,
    accountId: localAccountId,
  });
  const context: ProvisionContext = { ...clients, resolver, prefix, region, siteUrl: options.siteUrl };

  try {
    for (const stack of [assembly.stateful, assembly.stateless]) checkMapped(stack);
    await provisionStack(context, assembly.stateful);
    await provisionStack(context, assembly.stateless);

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
    const outputs = {
      ...siteOutputs(context, assembly.stateful),
      ...siteOutputs(context, assembly.stateless),
    };
    const output = (name: string) => {
      const value = outputs[name];
      if (value === undefined) throw new Error(`provision: the templates have no output ${name}`);
      return value;
    };
    const local: LocalStack = {
      endpoint,
      region,
      tableName: output('TableName'),
      imageBucket: output('ImageBucketName'),
      webBucket: output('WebBucketName'),
      jobsQueueUrl: output('JobsQueueUrl'),
      jobsDlqUrl: output('JobsDeadLetterQueueUrl'),
      uploadsQueueUrl: output('UploadsQueueUrl'),
      uploadsDlqUrl: output('UploadsDeadLetterQueueUrl'),
      accountsQueueUrl: output('AccountsQueueUrl'),
      accountsDlqUrl: output('AccountsDeadLetterQueueUrl'),
      userPoolId: output('UserPoolId'),
      userPoolClientId: output('UserPoolClientId'),
      // moto serves one fixed key (kid "dummy") for every pool at this path, while its tokens
      // name the AWS issuer; verifiers fetch the keys from here instead of the issuer.
      jwksUri: `${cognitoEndpoint}/${output('UserPoolId')}/.well-known/jwks.json`,
      serviceEndpoints,
      outputs,
    };
    const stackFile = options.stackFile ?? defaultStackFile;
    if (stackFile !== false) {
      await mkdir(dirname(stackFile), { recursive: true });
      await writeFile(stackFile, `${JSON.stringify(local, null, 2)}\n`);
    }
    return { local, resolver };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

/** Stores a secret's value, as an operator does after the first deploy (`put-secret-value`). */
export async function putSecretValue(endpoint: string, region: string, secretId: string, value: string) {
  const secrets = new SecretsManagerClient(clientConfig('SECRETS_MANAGER', endpoint, region));
  try {
    await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
  } finally {
    secrets.destroy();
  }
}

interface ProvisionContext {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly secrets: SecretsManagerClient;
  readonly resolver: TemplateResolver;
  readonly prefix: string;
  readonly region: string;
  readonly siteUrl: string;
}

type Provisioner = (
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
) => Promise<LocalAttributes | undefined>;

/** In the order they are created: what a resource refers to exists before it. */
const provisioners: readonly (readonly [string, Provisioner])[] = [
  ['AWS::DynamoDB::GlobalTable', ensureTable],
  ['AWS::DynamoDB::Table', ensureTable],
  ['AWS::S3::Bucket', ensureBucket],
  ['AWS::SecretsManager::Secret', ensureSecret],
  ['AWS::Cognito::UserPool', ensureUserPool],
  ['AWS::Cognito::UserPoolClient', ensureUserPoolClient],
  ['AWS::SQS::Queue', ensureQueue],
  ['AWS::SQS::QueuePolicy', applyQueuePolicy],
  ['AWS::Lambda::Function', nameFunction],
  ['AWS::CloudFront::Distribution', standInForSite],
  ['AWS::ApiGatewayV2::Api', standInForApi],
  ['Custom::S3BucketNotifications', applyBucketNotifications],
];

function checkMapped(stack: AssemblyStack) {
  const mapped = new Set(provisioners.map(([type]) => type));
  for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
    if (mapped.has(resource.Type) || servedByRuntime.has(resource.Type) || resource.Type in notProvisioned)
      continue;
    throw new Error(
      `provision: ${stack.name} ${logicalId} is a ${resource.Type}, which the local stack does not map; add it to scripts/emulator/provision.ts`,
    );
  }
}

async function provisionStack(context: ProvisionContext, stack: AssemblyStack) {
  const resources = Object.entries(stack.template.Resources);
  for (const [type, provisioner] of provisioners) {
    const ofType = resources.filter(([, resource]) => resource.Type === type);
    // Dead-letter queues before the queues that redrive to them.
    if (type === 'AWS::SQS::Queue') ofType.sort(([, a], [, b]) => redrives(a) - redrives(b));
    for (const [logicalId, resource] of ofType) {
      const attributes = await provisioner(context, stack, logicalId, resource.Properties ?? {});
      if (attributes) context.resolver.define(stack, logicalId, attributes);
    }
  }
}

function redrives(resource: TemplateResource): number {
  return resource.Properties?.RedrivePolicy ? 1 : 0;
}

/** CloudFront's `https://<domain>` is the local runtime's URL. */
function siteOutputs(context: ProvisionContext, stack: AssemblyStack): Record<string, string> {
  const host = new URL(context.siteUrl).host;
  return Object.fromEntries(
    Object.entries(context.resolver.outputs(stack)).map(([name, value]) => [
      name,
      value.replaceAll(`https://${host}`, context.siteUrl),
    ]),
  );
}

/** `ImageBucket97210811` → `ImageBucket`: the construct's name without CDK's hash. */
function baseName(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

function localResourceName(context: ProvisionContext, logicalId: string): string {
  return `${context.prefix}-${baseName(logicalId)}`;
}

function where(stack: AssemblyStack, logicalId: string, property?: string) {
  return `${stack.name} ${logicalId}${property ? ` ${property}` : ''}`;
}

function resolved<T>(
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  value: unknown,
  property: string,
) {
  return context.resolver.resolve(stack, value, where(stack, logicalId, property)) as T;
}

async function ensureTable(
  context: ProvisionContext,
  _stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes> {
  const { dynamodb } = context;
  const tableName = (properties.TableName as string | undefined) ?? localResourceName(context, logicalId);
  const attributeDefinitions = properties.AttributeDefinitions as AttributeDefinition[];
  const indexes = ((properties.GlobalSecondaryIndexes ?? []) as GlobalSecondaryIndex[]).map((index) => ({
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection,
  }));
  const existing = await describeTable(dynamodb, tableName);
  if (!existing) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions,
        KeySchema: properties.KeySchema as KeySchemaElement[],
        ...(indexes.length ? { GlobalSecondaryIndexes: indexes } : {}),
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
  const table = await waitUntilActive(dynamodb, tableName);

  const ttlSpecification = properties.TimeToLiveSpecification as
    | { AttributeName: string; Enabled: boolean }
    | undefined;
  if (ttlSpecification?.Enabled) {
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const { TimeToLiveStatus: status, AttributeName: attribute } = ttl.TimeToLiveDescription ?? {};
    if (!(attribute === ttlSpecification.AttributeName && (status === 'ENABLED' || status === 'ENABLING'))) {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: ttlSpecification.AttributeName, Enabled: true },
        }),
      );
    }
  }
  return {
    Ref: tableName,
    Arn: table.TableArn!,
    ...(table.LatestStreamArn ? { StreamArn: table.LatestStreamArn } : {}),
  };
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
    if (description && active) return description;
    if (Date.now() > deadline)
      throw new Error(`provision: table ${tableName} is not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface CfnCorsRule {
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
}

interface CfnLifecycleRule {
  Id?: string;
  Status: 'Enabled' | 'Disabled';
  Prefix?: string;
  ExpirationInDays?: number;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
}

async function ensureBucket(
  context: ProvisionContext,
  _stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes> {
  const { s3, region } = context;
  const bucket = (
    (properties.BucketName as string | undefined) ?? localResourceName(context, logicalId)
  ).toLowerCase();
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

  const cors = properties.CorsConfiguration as { CorsRules: CfnCorsRule[] } | undefined;
  if (cors) {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: cors.CorsRules.map((rule) => ({
            AllowedHeaders: rule.AllowedHeaders,
            AllowedMethods: rule.AllowedMethods,
            // The template names the site's origin; locally the site is the runtime (and Vite's dev server).
            AllowedOrigins: siteOrigins,
            ExposeHeaders: rule.ExposedHeaders,
            MaxAgeSeconds: rule.MaxAge,
          })),
        },
      }),
    );
  }
  const lifecycle = properties.LifecycleConfiguration as { Rules: CfnLifecycleRule[] } | undefined;
  if (lifecycle) {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: lifecycle.Rules.map(
            (rule, index): LifecycleRule => ({
              ID: rule.Id ?? `rule-${index}`,
              Status: rule.Status,
              Filter: { Prefix: rule.Prefix ?? '' },
              ...(rule.ExpirationInDays ? { Expiration: { Days: rule.ExpirationInDays } } : {}),
              ...(rule.AbortIncompleteMultipartUpload
                ? { AbortIncompleteMultipartUpload: rule.AbortIncompleteMultipartUpload }
                : {}),
            }),
          ),
        },
      }),
    );
  }
  return {
    Ref: bucket,
    Arn: `arn:aws:s3:::${bucket}`,
    DomainName: `${bucket}.s3.amazonaws.com`,
    RegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
  };
}

async function ensureSecret(
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes> {
  const { secrets } = context;
  const name = (properties.Name as string | undefined) ?? localResourceName(context, logicalId);
  try {
    const { ARN } = await secrets.send(new DescribeSecretCommand({ SecretId: name }));
    return { Ref: ARN!, Id: ARN! };
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const generate = properties.GenerateSecretString as
    | { PasswordLength?: number; ExcludePunctuation?: boolean }
    | undefined;
  const value = generate
    ? generatedSecret(generate.PasswordLength ?? 32, generate.ExcludePunctuation ?? false)
    : resolved<string>(context, stack, logicalId, properties.SecretString, 'SecretString');
  const { ARN } = await secrets.send(
    new CreateSecretCommand({
      Name: name,
      Description: properties.Description as string | undefined,
      SecretString: value,
    }),
  );
  return { Ref: ARN!, Id: ARN! };
}

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** What Secrets Manager's GenerateSecretString makes, from a local random source. */
function generatedSecret(length: number, excludePunctuation: boolean): string {
  const alphabet = excludePunctuation ? letters : letters + punctuation;
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** CloudFormation properties of a user pool that CreateUserPool takes under the same name. */
const userPoolProperties = [
  'AccountRecoverySetting',
  'AdminCreateUserConfig',
  'AutoVerifiedAttributes',
  'DeletionProtection',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'MfaConfiguration',
  'Policies',
  'SmsVerificationMessage',
  'UserAttributeUpdateSettings',
  'UsernameAttributes',
  'UsernameConfiguration',
  'UserPoolTier',
  'VerificationMessageTemplate',
] as const;

async function ensureUserPool(
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes> {
  const { cognito, region } = context;
  const poolName = `${context.prefix}-${(properties.UserPoolName as string | undefined) ?? baseName(logicalId)}`;
  const found: string[] = [];
  for await (const page of paginateListUserPools({ client: cognito }, { MaxResults: 60 })) {
    for (const pool of page.UserPools ?? []) if (pool.Name === poolName && pool.Id) found.push(pool.Id);
  }
  if (found.length > 1)
    throw new Error(`provision: ${found.length} user pools are named ${poolName}; delete all but one`);
  let userPoolId = found[0];
  if (!userPoolId) {
    const input: CreateUserPoolRequest = {
      PoolName: poolName,
      ...Object.fromEntries(
        userPoolProperties
          .filter((name) => properties[name] !== undefined)
          .map((name) => [name, resolved(context, stack, logicalId, properties[name], name)]),
      ),
      Schema: ((properties.Schema ?? []) as Record<string, unknown>[]).map((attribute) => ({
        AttributeDataType: 'String',
        ...attribute,
      })),
    };
    userPoolId = (await cognito.send(new CreateUserPoolCommand(input))).UserPool?.Id;
  }
  if (!userPoolId) throw new Error(`provision: no id for user pool ${poolName}`);
  return {
    Ref: userPoolId,
    Arn: `arn:aws:cognito-idp:${region}:${localAccountId}:userpool/${userPoolId}`,
    ProviderName: `cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
  };
}

/** CloudFormation properties of an app client that Create/UpdateUserPoolClient take under the same name. */
const clientProperties = [
  'AccessTokenValidity',
  'AllowedOAuthFlowsUserPoolClient',
  'AuthSessionValidity',
  'EnableTokenRevocation',
  'ExplicitAuthFlows',
  'IdTokenValidity',
  'PreventUserExistenceErrors',
  'ReadAttributes',
  'RefreshTokenValidity',
  'SupportedIdentityProviders',
  'TokenValidityUnits',
  'WriteAttributes',
] as const;

async function ensureUserPoolClient(
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes> {
  const { cognito } = context;
  const userPoolId = resolved<string>(context, stack, logicalId, properties.UserPoolId, 'UserPoolId');
  const clientName = (properties.ClientName as string | undefined) ?? localResourceName(context, logicalId);
  const settings = Object.fromEntries(
    clientProperties
      .filter((name) => properties[name] !== undefined)
      .map((name) => [name, resolved(context, stack, logicalId, properties[name], name)]),
  );
  let clientId: string | undefined;
  for await (const page of paginateListUserPoolClients(
    { client: cognito },
    { UserPoolId: userPoolId, MaxResults: 60 },
  )) {
    clientId ??= page.UserPoolClients?.find((client) => client.ClientName === clientName)?.ClientId;
  }
  if (clientId) {
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        ClientName: clientName,
        ...settings,
      }),
    );
  } else {
    const created = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: clientName,
        GenerateSecret: Boolean(properties.GenerateSecret),
        ...settings,
      }),
    );
    clientId = created.UserPoolClient?.ClientId;
  }
  if (!clientId) throw new Error(`provision: no id for app client ${clientName}`);
  return { Ref: clientId, ClientId: clientId };
}

/** CloudFormation properties of a queue, as SQS attribute names. */
const queueAttributes: Readonly<Record<string, QueueAttributeName | null>> = {
  DelaySeconds: 'DelaySeconds',
  MaximumMessageSize: 'MaximumMessageSize',
  MessageRetentionPeriod: 'MessageRetentionPeriod',
  ReceiveMessageWaitTimeSeconds: 'ReceiveMessageWaitTimeSeconds',
  RedrivePolicy: 'RedrivePolicy',
  SqsManagedSseEnabled: 'SqsManagedSseEnabled',
  VisibilityTimeout: 'VisibilityTimeout',
  QueueName: null,
  Tags: null,
};

async function ensureQueue(
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes> {
  const { sqs } = context;
  const queueName = (properties.QueueName as string | undefined) ?? localResourceName(context, logicalId);
  const attributes: Partial<Record<QueueAttributeName, string>> = {};
  for (const [property, value] of Object.entries(properties)) {
    if (!(property in queueAttributes)) {
      throw new UnresolvableValueError(where(stack, logicalId, property), 'a queue property');
    }
    const attribute = queueAttributes[property];
    if (!attribute) continue;
    const local = resolved<unknown>(context, stack, logicalId, value, property);
    attributes[attribute] = typeof local === 'object' ? JSON.stringify(local) : String(local);
  }

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
  return { Ref: url, Arn: arn, QueueUrl: url, QueueName: queueName };
}

async function applyQueuePolicy(
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<undefined> {
  const queueUrls = resolved<string[]>(context, stack, logicalId, properties.Queues, 'Queues');
  const policy = resolved<unknown>(context, stack, logicalId, properties.PolicyDocument, 'PolicyDocument');
  for (const url of queueUrls) {
    await context.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }),
    );
  }
  return undefined;
}

/** Easel's functions get local names; CDK's own custom-resource handlers are done by this file. */
async function nameFunction(
  context: ProvisionContext,
  _stack: AssemblyStack,
  _logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes | undefined> {
  const name = functionNameOf(properties);
  if (!name) return undefined;
  const functionName = `${context.prefix}-${name}`;
  return {
    Ref: functionName,
    Arn: `arn:aws:lambda:${context.region}:${localAccountId}:function:${functionName}`,
  };
}

/** CloudFront and the HTTP API are both the local runtime. */
/**
 * The HTTP API is the runtime's own URL; a WebSocket API keeps an id of its own, which
 * its management API's URL (the functions' `LIVE_CONNECTIONS_URL`) and ARNs carry, and
 * which the local runtime maps to its management endpoint.
 */
async function standInForApi(
  context: ProvisionContext,
  _stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<LocalAttributes> {
  if (properties.ProtocolType !== 'WEBSOCKET') return standInForSite(context);
  const apiId = localWebSocketApiId(logicalId);
  return {
    Ref: apiId,
    ApiId: apiId,
    ApiEndpoint: `wss://${apiId}.execute-api.${context.region}.amazonaws.com`,
  };
}

/** Ten lower-case letters and digits, like API Gateway's ids, the same at every start. */
function localWebSocketApiId(logicalId: string): string {
  return `ws${logicalId.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 10);
}

async function standInForSite(context: ProvisionContext): Promise<LocalAttributes> {
  const url = new URL(context.siteUrl);
  return { Ref: 'local', Id: 'local', DomainName: url.host, ApiEndpoint: context.siteUrl, ApiId: 'local' };
}

async function applyBucketNotifications(
  context: ProvisionContext,
  stack: AssemblyStack,
  logicalId: string,
  properties: Record<string, unknown>,
): Promise<undefined> {
  const { s3 } = context;
  const bucket = resolved<string>(context, stack, logicalId, properties.BucketName, 'BucketName');
  const configuration = resolved<{ QueueConfigurations?: QueueConfiguration[] }>(
    context,
    stack,
    logicalId,
    properties.NotificationConfiguration,
    'NotificationConfiguration',
  );
  const unsupported = Object.keys(configuration).filter((key) => key !== 'QueueConfigurations');
  if (unsupported.length) {
    throw new UnresolvableValueError(
      where(stack, logicalId, unsupported.join(', ')),
      'a notification target',
    );
  }
  const wanted = (configuration.QueueConfigurations ?? []).map((queue, index) => ({
    Id: `notification-${index}`,
    ...queue,
  }));
  const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  // Each PutBucketNotificationConfiguration sends an s3:TestEvent to the queue (AWS and moto
  // alike), so an unchanged configuration is left alone.
  const key = (list: QueueConfiguration[] | undefined) =>
    JSON.stringify(
      (list ?? []).map((c) => [
        c.QueueArn,
        [...(c.Events ?? [])].sort(),
        (c.Filter?.Key?.FilterRules ?? []).map((rule) => [rule.Name?.toLowerCase(), rule.Value]),
      ]),
    );
  if (key(current.QueueConfigurations) === key(wanted)) return undefined;
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { QueueConfigurations: wanted },
    }),
  );
  return undefined;
}
