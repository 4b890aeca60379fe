import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Polls until the queue holds no message, visible, in flight or delayed: every message sent
 * to it so far has been handled and deleted (or moved to its DLQ). A test that checks what
 * did not happen waits for this, not for a fixed time a busy machine may outlast.
 */
export async function waitUntilDrained(sqs: SQSClient, queueUrl: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    if (Object.values(Attributes).every((count) => count === '0')) return;
    if (Date.now() > deadline)
      throw new Error(`${queueUrl} still holds messages: ${JSON.stringify(Attributes)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
