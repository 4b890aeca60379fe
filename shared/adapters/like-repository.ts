import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { likeWeight, rankScopeNames } from '../domain/gallery/popularity.ts';
import type { ImageRecord } from '../domain/images/image.ts';
import type { LikeStore, LikeWrite } from '../domain/likes/likes.ts';
import { keys, ownerIndex } from './table-keys.ts';
import { transactWrite } from './transact.ts';

/** Concurrent likes of one image meet on its item: a like lost to another is tried again. */
const conflictAttempts = 10;

/**
 * Likes in the single table: `IMAGE#<imageId>` / `LIKE#<userId>` (in the image's partition,
 * so deleting the image deletes them), listed per user on `byOwner` by a ULID made at like
 * time. A like or unlike is one transaction: the like item (conditional put or delete), the
 * image's `likeCount` (ADD, on condition that the image exists, is not being deleted and is
 * shared as it was read) and, for a shared image, its popularity entries' scores.
 */
export function likeRepository(db: DynamoDBDocumentClient, tableName: string): LikeStore {
  async function countOf(imageId: string): Promise<number> {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.image(imageId),
        ProjectionExpression: 'likeCount',
        ConsistentRead: true,
      }),
    );
    return Number(Item?.likeCount ?? 0);
  }

  /** The image's count and, when it is ranked, its entries' scores, on the image as it was read. */
  function counted(image: ImageRecord, by: 1 | -1) {
    const ranked = image.isPublic && image.sharedAt !== undefined;
    return [
      {
        Update: {
          TableName: tableName,
          Key: keys.image(image.imageId),
          UpdateExpression: 'ADD likeCount :by',
          ConditionExpression: `attribute_exists(pk) AND #status <> :deleting AND isPublic = :public AND ${
            ranked ? 'sharedAt = :sharedAt' : 'attribute_not_exists(sharedAt)'
          }`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':by': by,
            ':deleting': 'DELETING',
            ':public': image.isPublic,
            ...(ranked ? { ':sharedAt': image.sharedAt } : {}),
          },
        },
      },
      ...(ranked
        ? rankScopeNames(image).map((scope) => ({
            Update: {
              TableName: tableName,
              Key: keys.rank(image.imageId, scope),
              UpdateExpression: 'ADD gsi4sk :by',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':by': by * likeWeight },
            },
          }))
        : []),
    ];
  }

  /** Runs the transaction whose first item is the like's; tells which condition, if any, stopped it. */
  async function write(imageId: string, items: Record<string, unknown>[]): Promise<LikeWrite> {
    try {
      await transactWrite(db, { TransactItems: items as never }, conflictAttempts);
      return { outcome: 'changed', likeCount: await countOf(imageId) };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      if (reasons[0] === 'ConditionalCheckFailed') {
        return { outcome: 'unchanged', likeCount: await countOf(imageId) };
      }
      if (reasons.includes('ConditionalCheckFailed')) return { outcome: 'stale' };
      throw error;
    }
  }

  return {
    like(image, userId, likeId, now) {
      return write(image.imageId, [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.like(image.imageId, userId),
              gsi1pk: ownerIndex.likes(userId),
              gsi1sk: likeId,
              userId,
              imageId: image.imageId,
              likedAt: now,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...counted(image, 1),
      ]);
    },
    unlike(image, userId) {
      return write(image.imageId, [
        {
          Delete: {
            TableName: tableName,
            Key: keys.like(image.imageId, userId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        ...counted(image, -1),
      ]);
    },
    async likedAmong(userId, imageIds) {
      const liked = new Set<string>();
      // A page holds at most 50 images: one BatchGetItem (100 keys at most), plus any it left unread.
      let pending: Record<string, unknown>[] | undefined = [...new Set(imageIds)].map((id) =>
        keys.like(id, userId),
      );
      while (pending?.length) {
        const result: BatchGetCommandOutput = await db.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: 'imageId' } },
          }),
        );
        for (const item of result.Responses?.[tableName] ?? []) liked.add(String(item.imageId));
        pending = result.UnprocessedKeys?.[tableName]?.Keys;
      }
      return liked;
    },
    async listLiked(userId, { limit, startKey }) {
      const { Items, LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byOwner',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': ownerIndex.likes(userId) },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        items: (Items ?? []).map((item) => String(item.imageId)),
        ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey } : {}),
      };
    },
  };
}
