import { describe, expect, it } from 'vitest';
import { functionPermissions } from '../../infra/function-permissions.ts';
import { checkQueueConsumer } from '../../infra/queue-rules.ts';
import { queues } from '../../shared/resources.ts';
import { testApp } from './easel-app.ts';

const consumer = {
  queue: 'JobsQueue',
  visibilityTimeoutSeconds: 1800,
  maxReceiveCount: 5,
  functionName: 'worker-jobs',
  functionTimeoutSeconds: 300,
};

describe('a queue and the function that consumes it', () => {
  it('pass with a visibility timeout of six times the timeout and five receives', () => {
    expect(() => checkQueueConsumer(consumer)).not.toThrow();
  });

  it('are refused when the visibility timeout is under six times the timeout, naming both and the fix', () => {
    expect(() => checkQueueConsumer({ ...consumer, visibilityTimeoutSeconds: 1799 })).toThrow(
      /JobsQueue hides a message for 1799 s, but its consumer "worker-jobs" may run for 300 s: .* at least 6 times the function's timeout \(1800 s\)/,
    );
  });

  it('are refused when a message moves to the dead-letter queue after fewer than five receives', () => {
    expect(() => checkQueueConsumer({ ...consumer, maxReceiveCount: 4 })).toThrow(
      /JobsQueue moves a message to its dead-letter queue after 4 receives: AWS advises at least 5/,
    );
  });

  it('a dead-letter queue, which redrives nowhere, is judged by its visibility timeout alone', () => {
    const { maxReceiveCount: _, ...deadLetters } = consumer;
    expect(() => checkQueueConsumer({ ...deadLetters, functionTimeoutSeconds: 30 })).not.toThrow();
    expect(() =>
      checkQueueConsumer({ ...deadLetters, visibilityTimeoutSeconds: 179, functionTimeoutSeconds: 30 }),
    ).toThrow(/at least 6 times/);
  });
});

describe('synth', () => {
  it('fails when a worker may run longer than a sixth of its queue’s visibility timeout', () => {
    const worker = queues.uploads.worker;
    const timeoutSeconds = Math.floor(queues.uploads.visibilityTimeoutSeconds / 6) + 1;
    expect(() =>
      testApp({
        permissions: {
          ...functionPermissions,
          [worker]: { ...functionPermissions[worker]!, timeoutSeconds },
        },
      }),
    ).toThrow(
      `UploadsQueue hides a message for ${queues.uploads.visibilityTimeoutSeconds} s, but its consumer "${worker}"`,
    );
  });

  it('fails when the dead-letter worker may run longer than a sixth of a dead-letter queue’s visibility timeout', () => {
    const worker = queues.jobs.dlqWorker;
    const timeoutSeconds = Math.floor(queues.jobs.deadLetterVisibilityTimeoutSeconds / 6) + 1;
    expect(() =>
      testApp({
        permissions: {
          ...functionPermissions,
          [worker]: { ...functionPermissions[worker]!, timeoutSeconds },
        },
      }),
    ).toThrow(
      /dead-letter queue hides a message for 180 s, but its consumer "worker-dead-letters" may run for 31 s/,
    );
  });
});
