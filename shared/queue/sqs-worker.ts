import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ProviderUnavailable } from '../domain/generation/provider-errors.ts';
import { correlationAttribute, logger, pickCorrelationId } from '../logger.ts';
import { traced } from '../tracer.ts';

export interface RetryPolicy {
  /** The first retry waits this long; each later one twice the one before. */
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/** How long a failed message stays hidden before its next try: the longer of the backoff and what the provider asked. */
export function retryDelaySeconds(
  receiveCount: number,
  policy: RetryPolicy,
  askedSeconds?: number,
  jitter = Math.random(),
) {
  const backoff = policy.baseSeconds * 2 ** Math.max(0, receiveCount - 1);
  const spread = (backoff * (80 + 40 * jitter)) / 100;
  return Math.min(policy.maxSeconds, Math.ceil(Math.max(spread, askedSeconds ?? 0)));
}

export interface SqsWorkerOptions {
  readonly handleRecord: (record: SQSRecord) => Promise<void>;
  readonly sqs: SQSClient;
  /** How to delay a failed message's next try; without it the queue's visibility timeout applies. */
  readonly retry?: RetryPolicy;
}

/**
 * An SQS worker: each record handled on its own, the failures reported in
 * `batchItemFailures` so that only they come back (Powertools batch). A failed record is
 * hidden for a growing delay (honouring the provider's retry-after) rather than the
 * queue's whole visibility timeout; after `maxReceiveCount` tries it goes to the DLQ.
 * Logs carry the correlation id that came with the message, and each record is a
 * subsegment of the trace annotated with it.
 */
export function sqsWorker(options: SqsWorkerOptions) {
  const processor = new BatchProcessor(EventType.SQS);
  const queueUrls = new Map<string, Promise<string>>();

  /** The URL of the queue a record came from, asked once (the event source's grant includes GetQueueUrl). */
  function queueUrlOf(arn: string): Promise<string> {
    let url = queueUrls.get(arn);
    if (!url) {
      const [, , , , account, name] = arn.split(':');
      url = options.sqs
        .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
        .then((answer) => answer.QueueUrl!);
      url.catch(() => queueUrls.delete(arn));
      queueUrls.set(arn, url);
    }
    return url;
  }

  async function recordHandler(record: SQSRecord) {
    const correlationId = pickCorrelationId(
      record.messageAttributes?.[correlationAttribute]?.stringValue,
      record.messageId,
    );
    logger.appendKeys({ correlationId, messageId: record.messageId });
    try {
      await traced('message', { correlationId }, () => options.handleRecord(record));
    } catch (error) {
      if (!options.retry) throw error;
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      const asked = error instanceof ProviderUnavailable ? error.retryAfterSeconds : undefined;
      const delay = retryDelaySeconds(receiveCount, options.retry, asked);
      logger.warn('record failed; it will be retried', {
        receiveCount,
        retryInSeconds: delay,
        error: error as Error,
      });
      await options.sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: await queueUrlOf(record.eventSourceARN),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: delay,
          }),
        )
        .catch((visibilityError: unknown) =>
          logger.warn('could not delay the retry; the visibility timeout applies', {
            error: visibilityError as Error,
          }),
        );
      throw error;
    } finally {
      logger.removeKeys(['correlationId', 'messageId']);
    }
  }

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    return processPartialResponse(event, recordHandler, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
  };
}
