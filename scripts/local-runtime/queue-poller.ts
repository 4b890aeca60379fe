import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

export interface QueuePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly functionName: string;
  /** Runs the function on one batch; answers what its handler returned. */
  readonly invoke: (event: SQSEvent) => Promise<unknown>;
  readonly batchSize: number;
  /** Batches in flight at once, as the event source mapping's maximum concurrency. */
  readonly concurrency: number;
  /** The mapping's `ReportBatchItemFailures`: without it, a batch succeeds or fails whole. */
  readonly reportBatchItemFailures: boolean;
  /** Long-poll wait; short locally so that stopping is quick. */
  readonly waitTimeSeconds?: number;
  readonly log?: (line: string) => void;
}

function toLambdaAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? 'String',
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  );
}

/** An SQS message as Lambda's event source mapping delivers it. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: toLambdaAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * Lambda's SQS event source mapping, locally: long-polls the queue, hands each batch to
 * the worker as a real SQS event, and deletes only the messages it did not report in
 * `batchItemFailures` (all of them stay if the handler throws). What stays becomes visible
 * again after the visibility timeout and moves to the DLQ after `maxReceiveCount`, exactly
 * as the queue's redrive policy says.
 */
export function startQueuePoller(options: QueuePollerOptions) {
  const log = options.log ?? (() => undefined);
  const abort = new AbortController();
  let stopped = false;

  async function deliver(messages: Message[]) {
    const event: SQSEvent = {
      Records: messages.map((m) => toSqsRecord(m, options.queueArn, options.region)),
    };
    let failedIds: Set<string>;
    try {
      const result = (await options.invoke(event)) as SQSBatchResponse | null | undefined;
      failedIds = new Set(
        options.reportBatchItemFailures
          ? (result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier)
          : [],
      );
    } catch (error) {
      log(
        `${options.functionName} failed its batch: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const done = messages.filter((m) => !failedIds.has(m.MessageId!));
    if (failedIds.size)
      log(`${options.functionName}: ${failedIds.size} of ${messages.length} messages failed`);
    if (!done.length) return;
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }

  async function loop() {
    while (!stopped) {
      try {
        const received = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 2,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        if (received.Messages?.length) await deliver(received.Messages);
      } catch (error) {
        if (stopped) break;
        log(`polling ${options.queueUrl} failed: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  const loops = Array.from({ length: Math.max(1, options.concurrency) }, () => loop());
  return {
    stop: async () => {
      stopped = true;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}

export type QueuePoller = ReturnType<typeof startQueuePoller>;
