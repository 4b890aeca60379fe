import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QueuePoller, startQueuePoller } from '../../scripts/local-runtime/queue-poller.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { queues } from '../../shared/resources.ts';
import { waitUntilDrained } from './support/queues.ts';
import { startTestStack } from './support/stack.ts';

/** Polls until `check` returns something, or fails after the deadline. */
async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const uploadEvents: SQSEvent[] = [];
let stack: RunningLocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  stack = await startTestStack({
    // The real runtime and queues; the upload worker is replaced by one that records its events.
    standIns: {
      [queues.uploads.worker]: async (event: never) => {
        uploadEvents.push(event as SQSEvent);
        return { batchItemFailures: [] } satisfies SQSBatchResponse;
      },
    },
  });
  sqs = new SQSClient({ region: stack.stack.region });
});
afterAll(async () => {
  await stack?.stop();
  sqs?.destroy();
});

describe('S3 upload events', () => {
  it('an object put under uploads/ reaches the upload worker as an S3 event', async () => {
    const s3 = new S3Client({ region: stack.stack.region, forcePathStyle: true });
    const key = 'uploads/user-1/01JTESTUPLOAD.png';
    await s3.send(new PutObjectCommand({ Bucket: stack.stack.imageBucket, Key: key, Body: 'bytes' }));
    await s3.send(
      new PutObjectCommand({ Bucket: stack.stack.imageBucket, Key: 'img/not-an-upload.png', Body: 'x' }),
    );
    s3.destroy();

    // S3 also sends one s3:TestEvent when the notification is set up; only object events carry Records.
    const objectEvents = () =>
      uploadEvents
        .flatMap((event) => event.Records)
        .filter((record) => JSON.parse(record.body).Records !== undefined);
    const record = await eventually(() => objectEvents()[0]);
    expect(record.eventSource).toBe('aws:sqs');
    expect(record.eventSourceARN).toMatch(/:sqs:.*UploadsQueue$/);
    const s3Record = JSON.parse(record.body).Records[0];
    expect(s3Record.eventName).toMatch(/^ObjectCreated:/);
    expect(s3Record.s3.bucket.name).toBe(stack.stack.imageBucket);
    // Keys arrive URL-encoded, as in AWS.
    expect(decodeURIComponent(s3Record.s3.object.key.replace(/\+/g, ' '))).toBe(key);
    // Only the uploads/ prefix is wired to the queue: once the worker has had every message, one was an object event.
    await waitUntilDrained(sqs, stack.stack.uploadsQueueUrl);
    expect(objectEvents()).toHaveLength(1);
  });
});

describe('the SQS event source mapping', () => {
  let queueUrl: string;
  let dlqUrl: string;
  let poller: QueuePoller;
  const seen: SQSRecord[] = [];

  beforeAll(async () => {
    // A queue pair of its own with a 1 s visibility timeout, so redelivery is quick to watch.
    const name = `${stack.stack.tableName.replace(/-table$/, '')}-redrive`;
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: {
            VisibilityTimeout: '1',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }),
          },
        }),
      )
    ).QueueUrl!;
    poller = startQueuePoller({
      sqs,
      queueUrl,
      queueArn: `arn:aws:sqs:${stack.stack.region}:123456789012:${name}`,
      region: stack.stack.region,
      functionName: 'test-worker',
      batchSize: 10,
      concurrency: 1,
      reportBatchItemFailures: true,
      waitTimeSeconds: 1,
      invoke: async (event: SQSEvent) => {
        const records = event.Records;
        seen.push(...records);
        // The worker fails the message that says so and succeeds the rest.
        return {
          batchItemFailures: records
            .filter((r) => r.body === 'fail')
            .map((r) => ({ itemIdentifier: r.messageId })),
        } satisfies SQSBatchResponse;
      },
    });
  });
  afterAll(async () => {
    await poller?.stop();
  });

  it('delivers a message to its worker as an SQS event, with its attributes', async () => {
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'hello',
        MessageAttributes: { correlationId: { DataType: 'String', StringValue: 'corr-123' } },
      }),
    );
    const record = await eventually(() => seen.find((r) => r.messageId === sent.MessageId));
    expect(record.body).toBe('hello');
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(record.messageAttributes.correlationId?.stringValue).toBe('corr-123');
    // It succeeded, so it was deleted: it never comes back.
    await waitUntilDrained(sqs, queueUrl);
    expect(seen.filter((r) => r.messageId === sent.MessageId)).toHaveLength(1);
  });

  it('redelivers a failed item and moves it to the DLQ after maxReceiveCount', async () => {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'fail' }));
    const moved = await eventually(async () => {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      return received.Messages?.find((m) => m.MessageId === sent.MessageId);
    });
    expect(moved.Body).toBe('fail');
    const deliveries = seen.filter((r) => r.messageId === sent.MessageId);
    expect(deliveries.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
  });
});
