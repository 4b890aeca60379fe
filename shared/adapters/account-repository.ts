import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { AccountItems } from '../domain/accounts/close-account.ts';
import type { JobStatus } from '../domain/generation/jobs.ts';
import { globalCount } from './global-stats.ts';
import { toImage } from './image-repository.ts';
import { likeRepository } from './like-repository.ts';
import { keys, ownerIndex, userPartition } from './table-keys.ts';
import { transactWrite } from './transact.ts';

/** Notes, in the user's partition, of images an account deletion has started to remove. */
const removingPrefix = 'REMOVING#';

/** BatchWriteItem takes at most 25 requests. */
const batchSize = 25;

const cancelled = (error: unknown) => error instanceof TransactionCanceledException;

/**
 * An account's items as its deletion finds them: by its owner listings (`byOwner`), and by
 * the entries in its partition (`USER#<userId>`). No Scan (see docs/data-model.md).
 */
export function accountRepository(db: DynamoDBDocumentClient, tableName: string): AccountItems {
  const likes = likeRepository(db, tableName);
  async function batchWrite(requests: NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string]) {
    for (let start = 0; start < requests.length; start += batchSize) {
      let pending: BatchWriteCommandOutput['UnprocessedItems'] = {
        [tableName]: requests.slice(start, start + batchSize),
      };
      for (let attempt = 0; pending?.[tableName]?.length; attempt++) {
        // Unprocessed items come back under throttling: try them again after a short wait.
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const result: BatchWriteCommandOutput = await db.send(
          new BatchWriteCommand({ RequestItems: pending }),
        );
        pending = result.UnprocessedItems;
      }
    }
  }

  async function ownPartition(userId: string, prefix: string, limit?: number) {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': userPartition(userId),
            ...(prefix ? { ':prefix': prefix } : {}),
          },
          ConsistentRead: true,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = limit === undefined ? page.LastEvaluatedKey : undefined;
    } while (startKey);
    return items;
  }

  async function ownerListing(partition: string, limit: number, projection: string, facet = false) {
    const { Items } = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: facet ? 'byOwnerFacet' : 'byOwner',
        KeyConditionExpression: facet ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ProjectionExpression: projection,
        ...(projection.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        Limit: limit,
      }),
    );
    return Items ?? [];
  }

  return {
    async imagesToRemove(userId, limit) {
      const started = await ownPartition(userId, removingPrefix, limit);
      if (started.length) return started.map((item) => String(item.imageId));
      const next = (await ownerListing(ownerIndex.images(userId), limit, 'imageId')).map((item) =>
        String(item.imageId),
      );
      await batchWrite(
        next.map((imageId) => ({
          PutRequest: { Item: { pk: userPartition(userId), sk: `${removingPrefix}${imageId}`, imageId } },
        })),
      );
      return next;
    },
    async imageRemoved(userId, imageId) {
      await db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: userPartition(userId), sk: `${removingPrefix}${imageId}` },
        }),
      );
    },
    async authoredComments(userId, limit) {
      return (await ownPartition(userId, 'COMMENT#', limit)).map((item) => ({
        imageId: String(item.imageId),
        commentId: String(item.commentId),
      }));
    },
    async removeAuthoredComment(userId, imageId, commentId) {
      const entry = {
        Delete: { TableName: tableName, Key: keys.authoredComment(userId, imageId, commentId) },
      };
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Delete: {
                TableName: tableName,
                Key: keys.comment(imageId, commentId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: keys.image(imageId),
                UpdateExpression: 'ADD commentCount :minusOne',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':minusOne': -1 },
              },
            },
            entry,
          ],
        });
      } catch (error) {
        if (!cancelled(error)) throw error;
        // The comment went meanwhile (or its image did, with every comment on it): its entry is all that is left.
        await db.send(new DeleteCommand(entry.Delete));
      }
    },
    async likedImages(userId, limit) {
      return (await ownerListing(ownerIndex.likes(userId), limit, 'pk')).map((item) =>
        String(item.pk).slice('IMAGE#'.length),
      );
    },
    async removeLike(userId, imageId) {
      // As the liker's own unlike does it, so the image's popularity entries move with its count.
      // An image shared or unshared meanwhile is read again; the queued deletion retries the rest.
      for (let attempt = 0; attempt < 5; attempt++) {
        const { Item } = await db.send(
          new GetCommand({ TableName: tableName, Key: keys.image(imageId), ConsistentRead: true }),
        );
        if (!Item || Item.status === 'DELETING') {
          // The image is gone or going, with every like in its partition: nothing is left to count.
          await db.send(new DeleteCommand({ TableName: tableName, Key: keys.like(imageId, userId) }));
          return;
        }
        if ((await likes.unlike(toImage(Item), userId)).outcome !== 'stale') return;
      }
      throw new Error(`The image ${imageId} kept changing while its like was removed.`);
    },
    async jobs(userId, limit, status) {
      const listing = status
        ? ownerListing(
            ownerIndex.jobsByStatus(userId, status),
            limit,
            'jobId, #status, sourceKey, maskKey',
            true,
          )
        : ownerListing(ownerIndex.jobs(userId), limit, 'jobId, #status, sourceKey, maskKey');
      return (await listing).map((item) => ({
        jobId: String(item.jobId),
        status: item.status as JobStatus,
        inputKeys: [item.sourceKey, item.maskKey].filter((key): key is string => typeof key === 'string'),
      }));
    },
    async removeJob(job) {
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Delete: {
                TableName: tableName,
                Key: keys.job(job.jobId),
                ConditionExpression: '#status = :status',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':status': job.status },
              },
            },
            globalCount(tableName, { [`jobs:${job.status}`]: -1 }),
          ],
        });
      } catch (error) {
        // Gone already, or its status moved on: the next page names it as it is now.
        if (!cancelled(error)) throw error;
      }
    },
    async sweep(userId) {
      const left = (await ownPartition(userId, '')).filter((item) => item.sk !== keys.profile(userId).sk);
      await batchWrite(left.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
    },
    async closeProfile(userId, revokedBefore, expiresAt) {
      const closed = { ...keys.profile(userId), revokedBefore, expiresAt };
      try {
        await transactWrite(db, {
          TransactItems: [
            { Put: { TableName: tableName, Item: closed, ConditionExpression: 'attribute_exists(email)' } },
            globalCount(tableName, { users: -1 }),
          ],
        });
      } catch (error) {
        if (!cancelled(error)) throw error;
        // Closed already, or never used: no user to take from the count.
        await db.send(new PutCommand({ TableName: tableName, Item: closed }));
      }
    },
  };
}
