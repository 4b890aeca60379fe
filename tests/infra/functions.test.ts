import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EaselStacks } from '../../infra/build-app.ts';
import { functionPermissions } from '../../infra/function-permissions.ts';
import { envFields } from '../../shared/config.ts';
import { logicalId, testApp } from './easel-app.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

let stacks: EaselStacks;
let template: Template;

beforeAll(() => {
  stacks = testApp();
  template = Template.fromStack(stacks.stateless);
});

function lambdaOf(name: string) {
  const fn = stacks.stateless.functions.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return { fn, resource: template.toJSON().Resources[logicalId(fn.lambda)] };
}

function statementsOf(name: string): Statement[] {
  const { fn } = lambdaOf(name);
  const roleId = logicalId(fn.role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat());
const s3Actions = (name: string) =>
  actionsOf(statementsOf(name))
    .filter((action) => action.startsWith('s3:'))
    .sort();
const environmentOf = (name: string): Record<string, unknown> =>
  lambdaOf(name).resource.Properties.Environment.Variables;

describe('every Easel function', () => {
  const names = Object.keys(functionPermissions);

  it('exists, one per entry of the permissions map', () => {
    expect([...stacks.stateless.functions.keys()].sort()).toEqual([...names].sort());
  });

  it.each(names)('%s runs Node 22 on arm64 with JSON logs, X-Ray and its map size', (name) => {
    const { resource } = lambdaOf(name);
    expect(resource.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: functionPermissions[name]!.memorySize,
      Timeout: functionPermissions[name]!.timeoutSeconds,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON' },
    });
  });

  it.each(names)('%s logs to its own log group, kept for a month', (name) => {
    const logGroupId = lambdaOf(name).resource.Properties.LoggingConfig.LogGroup.Ref;
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
  });

  it.each(names)('%s sets only variables that shared/config.ts or the runtime knows', (name) => {
    const environment = environmentOf(name);
    expect(environment).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      STAGE: 'dev',
      POWERTOOLS_SERVICE_NAME: 'easel',
    });
    const known = new Set([
      ...Object.keys(envFields),
      'NODE_OPTIONS',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
    ]);
    expect(Object.keys(environment).filter((variable) => !known.has(variable))).toEqual([]);
  });

  it.each(names)('%s has an own role, not AWSLambdaBasicExecutionRole', (name) => {
    const { fn } = lambdaOf(name);
    const role = template.toJSON().Resources[logicalId(fn.role)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it.each(names)('%s has an errors alarm and a throttles alarm', (name) => {
    const { fn } = lambdaOf(name);
    const functionRef = { Ref: logicalId(fn.lambda) };
    for (const metric of ['Errors', 'Throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: functionRef }],
        Threshold: 1,
      });
    }
  });

  it('never may Scan the table', () => {
    for (const name of names) expect(actionsOf(statementsOf(name))).not.toContain('dynamodb:Scan');
  });
});

describe('grants follow infra/function-permissions.ts', () => {
  /** The secrets a function may read, by the logical ids of their references. */
  const secretsReadBy = (name: string) =>
    statementsOf(name)
      .filter((statement) => actionsOf([statement]).includes('secretsmanager:GetSecretValue'))
      .map((statement) => JSON.stringify(statement.Resource));
  const originSecret = () => JSON.stringify({ Ref: logicalId(stacks.stateless.originSecret) });

  it('api-catalogue may only write its logs and traces and read the origin secret', () => {
    const actions = actionsOf(statementsOf('api-catalogue'));
    expect(actions.sort()).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(secretsReadBy('api-catalogue')).toEqual([originSecret()]);
    expect(Object.keys(environmentOf('api-catalogue')).sort()).toEqual(
      [
        'NODE_OPTIONS',
        'ORIGIN_SECRET_ID',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_SERVICE_NAME',
        'STAGE',
      ].sort(),
    );
  });

  it('worker-jobs reads and writes the table, reads, puts and deletes images (replaced portraits), reads the OpenAI key and consumes the jobs queue', () => {
    const actions = actionsOf(statementsOf('worker-jobs'));
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:PutItem',
        'dynamodb:Query',
        'secretsmanager:GetSecretValue',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
      ]),
    );
    expect(s3Actions('worker-jobs')).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(actions).not.toContain('sqs:SendMessage');
    expect(environmentOf('worker-jobs')).toMatchObject({
      TABLE_NAME: expect.anything(),
      IMAGE_BUCKET: expect.anything(),
      OPENAI_SECRET_ID: expect.anything(),
    });
    // It asks the URL of a message's queue by the record's ARN when it delays a retry.
    expect(environmentOf('worker-jobs')).not.toHaveProperty('JOBS_QUEUE_URL');
    expect(environmentOf('worker-jobs')).not.toHaveProperty('CURSOR_SECRET_ID');
  });

  it('api-images signs GET URLs, copies shared images under img/ and deletes objects; it cannot read the OpenAI key', () => {
    expect(s3Actions('api-images')).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(environmentOf('api-images')).toMatchObject({
      CDN_BASE_URL: expect.anything(),
      CURSOR_SECRET_ID: expect.anything(),
    });
    expect(environmentOf('api-images')).not.toHaveProperty('OPENAI_SECRET_ID');
  });

  it('the public gallery only reads the table: no write, no bucket, no queue', () => {
    const actions = actionsOf(statementsOf('api-gallery'));
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    expect(actions.some((action) => action.startsWith('s3:') || action.startsWith('sqs:'))).toBe(false);
    expect(environmentOf('api-gallery')).not.toHaveProperty('IMAGE_BUCKET');
    expect(environmentOf('api-gallery')).not.toHaveProperty('OPENAI_SECRET_ID');
  });

  it('api-characters reads and deletes portrait objects and sends portrait jobs to the jobs queue', () => {
    expect(s3Actions('api-characters')).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket']);
    const send = statementsOf('api-characters').find((statement) =>
      actionsOf([statement]).includes('sqs:SendMessage'),
    );
    expect(send?.Resource).toEqual({
      'Fn::GetAtt': [logicalId(stacks.stateless.queues.jobs.queue), 'Arn'],
    });
    expect(environmentOf('api-characters')).not.toHaveProperty('OPENAI_SECRET_ID');
  });

  it.each([
    // Signs presigned POSTs and puts API uploads, answering signed GET URLs to them.
    ['api-uploads', ['s3:GetObject', 's3:ListBucket', 's3:PutObject']],
    // Reads an edit's source, puts it under the job, and removes it when the job is refused.
    ['api-edits', ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']],
  ])('%s gets exactly its image bucket actions and sends only to the jobs queue', (name, expected) => {
    expect(s3Actions(name)).toEqual(expected);
    const send = statementsOf(name).find((statement) => actionsOf([statement]).includes('sqs:SendMessage'));
    expect(send?.Resource).toEqual({
      'Fn::GetAtt': [logicalId(stacks.stateless.queues.jobs.queue), 'Arn'],
    });
    // No secret but the origin secret every API function checks requests with.
    expect(secretsReadBy(name)).toEqual([originSecret()]);
    expect(environmentOf(name)).toMatchObject({
      TABLE_NAME: expect.anything(),
      IMAGE_BUCKET: expect.anything(),
    });
  });

  it('worker-uploads reads, puts and deletes images, sends to the jobs queue and consumes the uploads queue, without secrets', () => {
    expect(s3Actions('worker-uploads')).toEqual([
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    const statements = statementsOf('worker-uploads');
    const send = statements.find((statement) => actionsOf([statement]).includes('sqs:SendMessage'));
    expect(send?.Resource).toEqual({
      'Fn::GetAtt': [logicalId(stacks.stateless.queues.jobs.queue), 'Arn'],
    });
    expect(actionsOf(statements)).not.toContain('secretsmanager:GetSecretValue');
    expect(environmentOf('worker-uploads')).toMatchObject({ JOBS_QUEUE_URL: expect.anything() });
    expect(environmentOf('worker-uploads')).not.toHaveProperty('UPLOADS_QUEUE_URL');
  });

  it('worker-dead-letters writes the table and consumes the dead-letter queues only', () => {
    const actions = actionsOf(statementsOf('worker-dead-letters'));
    expect(actions).toContain('dynamodb:UpdateItem');
    expect(
      actions.filter((action) => action.startsWith('s3:') || action.startsWith('secretsmanager:')),
    ).toEqual([]);
    expect(actions).not.toContain('sqs:SendMessage');
  });

  it('the image bucket grant covers objects, and listing only where reads are granted', () => {
    const statements = statementsOf('worker-jobs');
    const list = statements.find((statement) => actionsOf([statement]).includes('s3:ListBucket'));
    expect(list?.Resource).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Easel-dev-Stateful' }),
    });
  });
});
