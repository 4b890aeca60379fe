import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueue } from '../domain/generation/ports.ts';
import { correlationAttribute } from '../logger.ts';

/** Job messages carry the job id; the correlation id rides along as a message attribute. */
export function sqsJobQueue(sqs: SQSClient, queueUrl: string): JobQueue {
  return {
    async send(message, correlationId) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          MessageAttributes: { [correlationAttribute]: { DataType: 'String', StringValue: correlationId } },
        }),
      );
    },
  };
}
