import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueue } from '../domain/ports.ts';
import { correlationAttribute } from '../logger.ts';
import { count } from '../metrics.ts';

/**
 * Job messages carry the job id; the correlation id rides along as a message attribute.
 * Every job is queued here once when it is accepted, so this is where accepted jobs are counted.
 */
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
      count('jobsAccepted');
    },
  };
}
