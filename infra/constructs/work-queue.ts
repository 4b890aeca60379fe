import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { QueueDescription } from '../../shared/resources.ts';

export interface WorkQueueProps {
  readonly description: QueueDescription;
  readonly stage: string;
}

/**
 * A queue of paid or slow work with its dead-letter queue: a message received
 * `maxReceiveCount` times moves there (where the dead-letter worker counts it, and the
 * operations alarms watch that count).
 */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const { description } = props;
    const visibilityTimeout = Duration.seconds(description.visibilityTimeoutSeconds);
    // SQS's long-standing 256 KB: Easel's messages carry ids, never payloads. The emulator
    // enforces the queue's attribute, so an oversized message fails locally as in AWS.
    const maxMessageSizeBytes = 256 * 1024;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(description.deadLetterVisibilityTimeoutSeconds),
      maxMessageSizeBytes,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout,
      retentionPeriod: Duration.days(description.retentionDays),
      maxMessageSizeBytes,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: description.maxReceiveCount },
    });

    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue; its messages end at the DLQ worker.' },
    ]);
  }
}
