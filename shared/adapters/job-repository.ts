import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { IdempotencyKeyTaken } from '../domain/generation/accept-job.ts';
import { heldQuota, type Job, type JobStatus } from '../domain/generation/jobs.ts';
import type { JobStore } from '../domain/ports.ts';
import { QuotaExceededError } from '../errors.ts';
import { globalCount } from './global-stats.ts';
import { keys, operatorIndex, ownerIndex, usageExpiry } from './table-keys.ts';
import { transactWrite } from './transact.ts';

const itemKeys = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];

function toJob(item: Record<string, unknown>): Job {
  const job = { ...item };
  for (const key of itemKeys) delete job[key];
  return job as unknown as Job;
}

function secondsUntilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.ceil((next - now.getTime()) / 1000);
}

/** Jobs, their quota and idempotency records in the single table (see docs/data-model.md). */
/** Why a request over the daily quota is refused, with what is left of it. */
export function quotaRefusal(quotaPerDay: number, used: number, asked: number): string {
  const left = Math.max(0, quotaPerDay - used);
  if (left === 0)
    return `You have used all ${quotaPerDay} of your images for today; the quota resets at midnight UTC.`;
  return `You asked for ${asked} images, but only ${left} of your ${quotaPerDay} for today ${left === 1 ? 'is' : 'are'} left. Ask for ${left === 1 ? 'one' : `${left} or fewer`}, or wait until the quota resets at midnight UTC.`;
}

export function jobRepository(db: DynamoDBDocumentClient, tableName: string): JobStore {
  async function get(jobId: string) {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.job(jobId), ConsistentRead: true }),
    );
    return Item ? toJob(Item) : undefined;
  }

  const statusKey = (job: Pick<Job, 'ownerId'>, status: JobStatus) =>
    ownerIndex.jobsByStatus(job.ownerId, status);

  return {
    get,
    async accept({ job, quotaPerDay, idempotency }) {
      const { quota } = job;
      if (quota && quotaPerDay === undefined)
        throw new Error(`job ${job.jobId} holds quota: pass quotaPerDay`);
      const held = quota && heldQuota(quota);
      const usage = quota &&
        held && {
          Update: {
            TableName: tableName,
            Key: keys.usage(job.ownerId, quota.day),
            UpdateExpression: 'ADD #counter :n SET expiresAt = if_not_exists(expiresAt, :expires)',
            ConditionExpression: 'attribute_not_exists(#counter) OR #counter <= :most',
            ExpressionAttributeNames: { '#counter': held.counter },
            ExpressionAttributeValues: {
              ':n': held.count,
              ':most': quotaPerDay! - held.count,
              ':expires': usageExpiry(quota.day),
            },
            // The count as it stood, so a refusal can say how many images are left.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        };
      const put = {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.job(job.jobId),
            ...job,
            gsi1pk: ownerIndex.jobs(job.ownerId),
            gsi1sk: job.jobId,
            gsi2pk: statusKey(job, job.status),
            gsi2sk: job.jobId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
      const key = idempotency && {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.idempotency(job.ownerId, idempotency.key),
            ...idempotency.record,
            expiresAt: idempotency.expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
      const items = [usage, put, key, globalCount(tableName, { 'jobs:QUEUED': 1 })].filter(
        (item) => item !== undefined,
      );
      try {
        await transactWrite(db, { TransactItems: items });
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Cancellation reasons come in the order of the items sent.
        const failed = (item: (typeof items)[number] | undefined) =>
          item !== undefined &&
          error.CancellationReasons?.[items.indexOf(item)]?.Code === 'ConditionalCheckFailed';
        if (usage && quota && failed(usage)) {
          const used = Number(
            error.CancellationReasons?.[items.indexOf(usage)]?.Item?.[held?.counter ?? 'images']?.N ??
              quotaPerDay,
          );
          throw new QuotaExceededError(
            held?.counter === 'descriptions'
              ? `You have used your ${quotaPerDay} image descriptions for today; the allowance resets at midnight UTC.`
              : quotaRefusal(quotaPerDay!, used, held?.count ?? 0),
            secondsUntilNextUtcDay(new Date(job.createdAt)),
          );
        }
        if (failed(key)) throw new IdempotencyKeyTaken();
        throw error;
      }
    },
    async start(job, now) {
      const jobId = job.jobId;
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.job(jobId),
                UpdateExpression: 'SET #status = :running, updatedAt = :now, gsi2pk = :facet',
                ConditionExpression: '#status = :queued',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':running': 'RUNNING',
                  ':queued': 'QUEUED',
                  ':now': now,
                  ':facet': statusKey(job, 'RUNNING'),
                },
              },
            },
            globalCount(tableName, { 'jobs:QUEUED': -1, 'jobs:RUNNING': 1 }),
          ],
        });
        // Only this write changes a QUEUED job, so the item is now the job as read, RUNNING.
        if (job.status === 'QUEUED') return { ...job, status: 'RUNNING', updatedAt: now } as Job;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
      return (await get(jobId))!;
    },
    async succeed(job, imageIds, now) {
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.job(job.jobId),
                UpdateExpression:
                  'SET #status = :succeeded, imageIds = :imageIds, updatedAt = :now, gsi2pk = :facet',
                ConditionExpression: '#status = :running',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':succeeded': 'SUCCEEDED',
                  ':running': 'RUNNING',
                  ':imageIds': imageIds,
                  ':now': now,
                  ':facet': statusKey(job, 'SUCCEEDED'),
                },
              },
            },
            globalCount(tableName, { 'jobs:RUNNING': -1, 'jobs:SUCCEEDED': 1 }),
          ],
        });
        return true;
      } catch (error) {
        // Finished already by an earlier delivery: nothing to do.
        if (!(error instanceof TransactionCanceledException)) throw error;
        return false;
      }
    },
    async fail(jobId, jobError, now) {
      // The counters move from the status the job had, so the write is conditional on it;
      // a job that moved on meanwhile (QUEUED → RUNNING) is read again and failed from there.
      for (let attempt = 0; attempt < 3; attempt++) {
        const job = await get(jobId);
        if (!job || (job.status !== 'QUEUED' && job.status !== 'RUNNING')) return false;
        try {
          await transactWrite(db, {
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.job(jobId),
                  // The failed job also joins the operators' deployment-wide listing of failures.
                  UpdateExpression:
                    'SET #status = :failed, #error = :error, updatedAt = :now, gsi2pk = :facet, gsi3pk = :failures, gsi3sk = :id',
                  ConditionExpression: '#status = :was',
                  ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
                  ExpressionAttributeValues: {
                    ':failed': 'FAILED',
                    ':was': job.status,
                    ':error': jobError,
                    ':now': now,
                    ':facet': statusKey(job, 'FAILED'),
                    ':failures': operatorIndex.failedJobs,
                    ':id': jobId,
                  },
                },
              },
              ...(job.quota
                ? [
                    {
                      // Failed and blocked work does not count against the quota.
                      Update: {
                        TableName: tableName,
                        Key: keys.usage(job.ownerId, job.quota.day),
                        UpdateExpression: 'ADD #counter :back',
                        ExpressionAttributeNames: { '#counter': heldQuota(job.quota).counter },
                        ExpressionAttributeValues: { ':back': -heldQuota(job.quota).count },
                      },
                    },
                  ]
                : []),
              globalCount(tableName, { [`jobs:${job.status}`]: -1, 'jobs:FAILED': 1 }),
            ],
          });
          return true;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
        }
      }
      return false;
    },
    async listByOwner(ownerId, { status, limit, startKey }) {
      const byStatus = status !== undefined;
      const { Items, LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: byStatus ? 'byOwnerFacet' : 'byOwner',
          KeyConditionExpression: byStatus ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': byStatus ? ownerIndex.jobsByStatus(ownerId, status) : ownerIndex.jobs(ownerId),
          },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return { items: (Items ?? []).map(toJob), ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey } : {}) };
    },
    async findIdempotency(ownerId, key) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.idempotency(ownerId, key), ConsistentRead: true }),
      );
      // Expired records may linger until TTL removes them; they no longer count.
      if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt * 1000 < Date.now()))
        return undefined;
      return { bodyHash: String(Item.bodyHash), response: Item.response };
    },
    async forgetIdempotency(ownerId, key) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: keys.idempotency(ownerId, key) }));
    },
  };
}
