import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { jobRepository } from '../../shared/adapters/job-repository.ts';
import type { Job } from '../../shared/domain/generation/jobs.ts';
import { QuotaExceededError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const repository = jobRepository(
  DynamoDBDocumentClient.from(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({})),
  'table',
);

const job = {
  jobId: 'J1',
  type: 'generation',
  status: 'QUEUED',
  ownerId: 'u1',
  ownerName: 'Ada',
  request: { prompt: 'x', size: '1024x1024', quality: 'medium', n: 3 },
  modelPrompt: 'x',
  model: 'gpt-image-2',
  plannedImageIds: ['I1', 'I2', 'I3'],
  imageIds: [],
  quota: { day: '2026-11-22', images: 3 },
  createdAt: '2026-11-22T18:00:00.000Z',
  updatedAt: '2026-11-22T18:00:00.000Z',
} satisfies Job;

beforeEach(() => dynamo.reset());

describe('the daily quota', () => {
  it('takes n images only while the count stays within the quota, in the same transaction as the job', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await repository.accept({ job, quotaPerDay: 50 });
    const [usage, put] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(usage!.Update).toMatchObject({
      Key: { pk: 'USER#u1', sk: 'USAGE#2026-11-22' },
      UpdateExpression: 'ADD #counter :n SET expiresAt = if_not_exists(expiresAt, :expires)',
      ConditionExpression: 'attribute_not_exists(#counter) OR #counter <= :most',
      ExpressionAttributeNames: { '#counter': 'images' },
      ExpressionAttributeValues: { ':n': 3, ':most': 47 },
    });
    expect(put!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { jobId: 'J1' },
    });
  });

  it('answers 429 QUOTA_EXCEEDED with the seconds until the quota resets at midnight UTC', async () => {
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const error = (await repository.accept({ job, quotaPerDay: 50 }).catch((e) => e)) as QuotaExceededError;
    expect(error).toBeInstanceOf(QuotaExceededError);
    const answer = httpErrorOf(error)!;
    expect(answer.status).toBe(429);
    expect(answer.headers?.['retry-after']).toBe(String(6 * 60 * 60));
  });

  it('gives the quota back in the same transaction that fails the job, once', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { ...job, pk: 'JOB#J1', sk: 'JOB' } })
      .resolves({ Item: { ...job, status: 'FAILED', pk: 'JOB#J1', sk: 'JOB' } });
    dynamo.on(TransactWriteCommand).resolves({});
    expect(await repository.fail('J1', { code: 'MODERATION_BLOCKED', message: 'no' }, 'now')).toBe(true);
    const [update, refund, counters] =
      dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(update!.Update).toMatchObject({
      ConditionExpression: '#status = :was',
      ExpressionAttributeValues: { ':was': 'QUEUED', ':failed': 'FAILED' },
    });
    expect(refund!.Update).toMatchObject({
      UpdateExpression: 'ADD #counter :back',
      ExpressionAttributeNames: { '#counter': 'images' },
      ExpressionAttributeValues: { ':back': -3 },
    });
    expect(Object.values(counters!.Update!.ExpressionAttributeNames!)).toEqual([
      'jobs:QUEUED',
      'jobs:FAILED',
    ]);
    // A second failure of a finished job changes nothing.
    expect(await repository.fail('J1', { code: 'UPSTREAM_UNAVAILABLE', message: 'no' }, 'later')).toBe(false);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('fails a job that moved on meanwhile from the state it reached', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { ...job, pk: 'JOB#J1', sk: 'JOB' } })
      .resolvesOnce({ Item: { ...job, status: 'RUNNING', pk: 'JOB#J1', sk: 'JOB' } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'no',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
        }),
      )
      .resolves({});
    expect(await repository.fail('J1', { code: 'UPSTREAM_UNAVAILABLE', message: 'gave up' }, 'now')).toBe(
      true,
    );
    const second = dynamo.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
    expect(second[0]!.Update!.ExpressionAttributeValues![':was']).toBe('RUNNING');
  });
});
