import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ImageRecord } from '../domain/images/image.ts';
import type { ImageStore } from '../domain/ports.ts';
import { conditionalWrite } from './conditional-write.ts';
import { globalCount } from './global-stats.ts';
import { imagePartition, keys, ownerIndex } from './table-keys.ts';
import { transactWrite } from './transact.ts';

const itemKeys = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];

export function toImage(item: Record<string, unknown>): ImageRecord {
  const image = { ...item };
  for (const key of itemKeys) delete image[key];
  return image as unknown as ImageRecord;
}

/** An image as its table item, listed by owner and by kind (see docs/data-model.md). */
export function imageItem(image: ImageRecord): Record<string, unknown> {
  return {
    ...keys.image(image.imageId),
    ...image,
    gsi1pk: ownerIndex.images(image.ownerId),
    gsi1sk: image.imageId,
    gsi2pk: ownerIndex.imagesByKind(image.ownerId, image.kind),
    gsi2sk: image.imageId,
  };
}

/** BatchWriteItem takes at most 25 requests. */
const batchSize = 25;

/** Image records in the single table, listed by owner and by kind (see docs/data-model.md). */
export function imageRepository(db: DynamoDBDocumentClient, tableName: string): ImageStore {
  async function deleteKeys(itemKeysToDelete: Record<string, unknown>[]) {
    for (let start = 0; start < itemKeysToDelete.length; start += batchSize) {
      let pending: BatchWriteCommandOutput['UnprocessedItems'] = {
        [tableName]: itemKeysToDelete
          .slice(start, start + batchSize)
          .map((Key) => ({ DeleteRequest: { Key } })),
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

  /** The owner's public-image item goes, and their count with it (only if it was there). */
  async function leaveProfile(ownerId: string, imageId: string) {
    try {
      await transactWrite(db, {
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: keys.publicImage(ownerId, imageId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: keys.profile(ownerId),
              UpdateExpression: 'ADD publicImageCount :minusOne',
              ExpressionAttributeValues: { ':minusOne': -1 },
            },
          },
        ],
      });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }

  /** Writes the image under the condition; a READY one joins the operators' count in the same transaction. */
  function countedPut(
    image: ImageRecord,
    condition: Omit<NonNullable<PutCommandInput>, 'TableName' | 'Item'>,
  ) {
    if (image.status !== 'READY') {
      return conditionalWrite(() =>
        db.send(new PutCommand({ TableName: tableName, Item: imageItem(image), ...condition })),
      );
    }
    return transactWrite(db, {
      TransactItems: [
        { Put: { TableName: tableName, Item: imageItem(image), ...condition } },
        globalCount(tableName, { images: 1 }),
      ],
    }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      },
    );
  }

  return {
    putIfAbsent(image) {
      return countedPut(image, { ConditionExpression: 'attribute_not_exists(pk)' });
    },
    settle(image) {
      return countedPut(image, {
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'PENDING' },
      });
    },
    async get(imageId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.image(imageId), ConsistentRead: true }),
      );
      return Item ? toImage(Item) : undefined;
    },
    async getMany(imageIds) {
      const found = new Map<string, ImageRecord>();
      const unique = [...new Set(imageIds)];
      // BatchGetItem takes at most 100 keys a call; a page of characters is at most 100.
      for (let start = 0; start < unique.length; start += 100) {
        let pending: Record<string, unknown>[] | undefined = unique
          .slice(start, start + 100)
          .map((id) => keys.image(id));
        for (let attempt = 0; pending?.length; attempt += 1) {
          // DynamoDB hands back what it could not read under load: read those again, a little later each time.
          if (attempt > 0)
            await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
          const result: BatchGetCommandOutput = await db.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            const image = toImage(item);
            found.set(image.imageId, image);
          }
          pending = result.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return found;
    },
    async existing(imageIds) {
      const found = new Set<string>();
      // BatchGetItem takes at most 100 keys; a job plans at most a handful.
      let pending: Record<string, unknown>[] | undefined = imageIds.map((id) => keys.image(id));
      while (pending?.length) {
        const result: BatchGetCommandOutput = await db.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: { Keys: pending, ProjectionExpression: 'imageId', ConsistentRead: true },
            },
          }),
        );
        for (const item of result.Responses?.[tableName] ?? []) found.add(String(item.imageId));
        pending = result.UnprocessedKeys?.[tableName]?.Keys;
      }
      return found;
    },
    async startDescription(imageId, jobId, now, replacing) {
      const started = await conditionalWrite(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.image(imageId),
            UpdateExpression:
              'SET descriptionStatus = :pending, descriptionJobId = :job, updatedAt = :now REMOVE descriptionError',
            // One description at a time: concurrent asks find the first one's job.
            ConditionExpression: `attribute_exists(pk) AND (descriptionStatus <> :pending OR descriptionJobId = :job OR attribute_not_exists(descriptionJobId)${replacing ? ' OR descriptionJobId = :replacing' : ''})`,
            ExpressionAttributeValues: {
              ':pending': 'PENDING',
              ':job': jobId,
              ':now': now,
              ...(replacing ? { ':replacing': replacing } : {}),
            },
          }),
        ),
      );
      if (started) return undefined;
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.image(imageId), ConsistentRead: true }),
      );
      if (typeof Item?.descriptionJobId !== 'string') throw new Error(`image ${imageId} is gone`);
      return Item.descriptionJobId;
    },
    finishDescription(imageId, jobId, outcome, now) {
      const ready = outcome.status === 'READY';
      return conditionalWrite(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.image(imageId),
            UpdateExpression: ready
              ? 'SET descriptionStatus = :status, description = :text, updatedAt = :now REMOVE descriptionError'
              : 'SET descriptionStatus = :status, descriptionError = :error, updatedAt = :now',
            ConditionExpression: 'descriptionJobId = :job',
            ExpressionAttributeValues: {
              ':status': outcome.status,
              ':job': jobId,
              ':now': now,
              ...(ready ? { ':text': outcome.description } : { ':error': outcome.error }),
            },
          }),
        ),
      );
    },
    async markDeleting(imageId, now) {
      // A READY image leaves the operators' count with this write; any other never joined it.
      const counted = await transactWrite(db, {
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keys.image(imageId),
              UpdateExpression:
                'SET #status = :deleting, updatedAt = :now REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk',
              ConditionExpression: '#status = :ready',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':deleting': 'DELETING', ':ready': 'READY', ':now': now },
            },
          },
          globalCount(tableName, { images: -1 }),
        ],
      }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof TransactionCanceledException) return false;
          throw error;
        },
      );
      if (counted) return;
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.image(imageId),
          UpdateExpression:
            'SET #status = :deleting, updatedAt = :now REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':deleting': 'DELETING', ':now': now },
        }),
      );
    },
    async deleteAll(imageId) {
      const imageKey = keys.image(imageId);
      const others: Record<string, unknown>[] = [];
      let publicOf: string | undefined;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page: QueryCommandOutput = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': imagePartition(imageId) },
            ProjectionExpression: 'pk, sk, ownerId, isPublic, authorId, commentId',
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (item.sk === imageKey.sk) {
            // Only a shared image has an item in its owner's partition.
            if (item.isPublic === true) publicOf = String(item.ownerId);
            continue;
          }
          others.push({ pk: item.pk, sk: item.sk });
          // A comment's entry in its author's partition goes with it.
          if (String(item.sk).startsWith('COMMENT#') && typeof item.authorId === 'string') {
            others.push(keys.authoredComment(item.authorId, imageId, String(item.commentId)));
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      await deleteKeys(others);
      if (publicOf) await leaveProfile(publicOf, imageId);
      // The image item goes last: while it is there (DELETING), a retry finds what is left.
      await db.send(new DeleteCommand({ TableName: tableName, Key: imageKey }));
    },
  };
}
