import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EaselStacks } from '../../infra/build-app.ts';
import { functionPermissions } from '../../infra/function-permissions.ts';
import { envFields } from '../../shared/config.ts';
import { type QueueName, queues, uploadPrefix } from '../../shared/resources.ts';
import { logicalId, testApp } from './easel-app.ts';

let stacks: EaselStacks;
let template: Template;

beforeAll(() => {
  stacks = testApp();
  template = Template.fromStack(stacks.stateless);
});

const queueNames = Object.keys(queues) as QueueName[];
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe.each(queueNames)('the %s queue', (name) => {
  const description = queues[name];
  const ids = () => ({
    queue: logicalId(stacks.stateless.queues[name].queue),
    deadLetterQueue: logicalId(stacks.stateless.queues[name].deadLetterQueue),
    worker: logicalId(stacks.stateless.functions.get(description.worker)!.lambda),
    dlqWorker: logicalId(stacks.stateless.functions.get(description.dlqWorker)!.lambda),
  });

  it('moves a message to its dead-letter queue after maxReceiveCount receives', () => {
    const resources = template.toJSON().Resources;
    expect(resources[ids().queue].Properties).toEqual({
      VisibilityTimeout: description.visibilityTimeoutSeconds,
      MessageRetentionPeriod: description.retentionDays * 24 * 3600,
      MaximumMessageSize: 256 * 1024,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: arnOf(ids().deadLetterQueue),
        maxReceiveCount: description.maxReceiveCount,
      },
      Tags: expect.any(Array),
    });
    expect(resources[ids().deadLetterQueue].Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      MaximumMessageSize: 256 * 1024,
      SqsManagedSseEnabled: true,
    });
  });

  it('refuses requests without TLS, on the queue and its dead-letter queue', () => {
    for (const id of [ids().queue, ids().deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('hides a message for six times as long as its worker, and its dead letters as long as the dead-letter worker, may run', () => {
    expect(description.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * functionPermissions[description.worker]!.timeoutSeconds,
    );
    expect(description.deadLetterVisibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * functionPermissions[description.dlqWorker]!.timeoutSeconds,
    );
    expect(template.toJSON().Resources[ids().deadLetterQueue].Properties.VisibilityTimeout).toBe(
      description.deadLetterVisibilityTimeoutSeconds,
    );
  });

  it('receives a message at least five times before it moves to the dead-letter queue', () => {
    expect(description.maxReceiveCount).toBeGreaterThanOrEqual(5);
  });

  it("lets the worker's longest backoff fit SQS's visibility limit", () => {
    expect(envFields.RETRY_MAX_SECONDS.safeParse(43_201).success).toBe(false);
    expect(envFields.RETRY_MAX_SECONDS.safeParse(43_200).success).toBe(true);
  });

  it('is consumed by its worker with partial batch failures and bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(ids().queue),
      FunctionName: { Ref: ids().worker },
      BatchSize: description.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: description.maxConcurrency },
    });
  });

  it('has its dead-letter queue consumed by the dead-letter worker, with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(ids().deadLetterQueue),
      FunctionName: { Ref: ids().dlqWorker },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
    });
  });
});

it('every event source mapping reports batch item failures and caps concurrency', () => {
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
  expect(mappings).toHaveLength(queueNames.length * 2);
  for (const mapping of mappings) {
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(mapping.Properties.ScalingConfig.MaximumConcurrency).toBeGreaterThanOrEqual(2);
  }
});

describe('uploads landing in S3', () => {
  it(`are announced to the uploads queue for keys under ${uploadPrefix}`, () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      // Merged with the bucket's other notifications rather than replacing them.
      Managed: false,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: uploadPrefix }] } },
            QueueArn: arnOf(logicalId(stacks.stateless.queues.uploads.queue)),
          },
        ],
      },
    });
  });

  it('may be sent by S3 for the image bucket only', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(stacks.stateless.queues.uploads.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: {
              ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::GetStackOutput': Match.anyValue() }) },
            },
          }),
        ]),
      },
    });
  });

  it('leave the stateful stack untouched: the notification lives in the stateless stack', () => {
    const stateful = Template.fromStack(stacks.stateful);
    expect(stateful.findResources('Custom::S3BucketNotifications')).toEqual({});
    for (const bucket of Object.values(stateful.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.NotificationConfiguration).toBeUndefined();
    }
  });
});
