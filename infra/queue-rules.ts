/**
 * What AWS advises for a queue a Lambda function consumes, checked at synth: the
 * visibility timeout at least six times the function's timeout (so that a batch the
 * event source mapping retries while the function is throttled is not redelivered
 * meanwhile), and a message received at least five times before it moves to the
 * dead-letter queue (so that a throttled or briefly failing worker does not send it there).
 */
export const visibilityPerTimeout = 6;
export const minimumMaxReceiveCount = 5;

export interface QueueConsumer {
  /** The queue as a person reads it: `JobsQueue`, `JobsQueue's dead-letter queue`. */
  readonly queue: string;
  readonly visibilityTimeoutSeconds: number;
  /** Absent for a dead-letter queue, which redrives nowhere. */
  readonly maxReceiveCount?: number;
  readonly functionName: string;
  readonly functionTimeoutSeconds: number;
}

export function checkQueueConsumer(consumer: QueueConsumer): void {
  const { queue, visibilityTimeoutSeconds, functionName, functionTimeoutSeconds } = consumer;
  const needed = visibilityPerTimeout * functionTimeoutSeconds;
  if (visibilityTimeoutSeconds < needed) {
    throw new Error(
      `${queue} hides a message for ${visibilityTimeoutSeconds} s, but its consumer "${functionName}" may run for ${functionTimeoutSeconds} s: AWS advises a visibility timeout of at least ${visibilityPerTimeout} times the function's timeout (${needed} s). Raise the queue's visibility timeout in shared/resources.ts or lower the function's timeout in infra/function-permissions.ts.`,
    );
  }
  if (consumer.maxReceiveCount !== undefined && consumer.maxReceiveCount < minimumMaxReceiveCount) {
    throw new Error(
      `${queue} moves a message to its dead-letter queue after ${consumer.maxReceiveCount} receives: AWS advises at least ${minimumMaxReceiveCount}, so that a throttled or briefly failing "${functionName}" does not send good messages there. Raise maxReceiveCount in shared/resources.ts.`,
    );
  }
}
