import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AccountDeletionQueue } from '../domain/accounts/close-account.ts';
import { correlationAttribute } from '../logger.ts';

/** Account deletions, one message each, for worker-accounts; the correlation id rides along. */
export function sqsAccountQueue(sqs: SQSClient, queueUrl: string): AccountDeletionQueue {
  return {
    async send(deletion, correlationId) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(deletion),
          MessageAttributes: { [correlationAttribute]: { DataType: 'String', StringValue: correlationId } },
        }),
      );
    },
  };
}
