import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ImageStore } from '../domain/generation/ports.ts';
import type { ImageRecord } from '../domain/images/image.ts';
import { keys, ownerIndex } from './table-keys.ts';

const itemKeys = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];

function toImage(item: Record<string, unknown>): ImageRecord {
  const image = { ...item };
  for (const key of itemKeys) delete image[key];
  return image as unknown as ImageRecord;
}

/** Image records in the single table, listed by owner and by kind (see docs/data-model.md). */
export function imageRepository(db: DynamoDBDocumentClient, tableName: string): ImageStore {
  return {
    async putIfAbsent(image) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.image(image.imageId),
              ...image,
              gsi1pk: ownerIndex.images(image.ownerId),
              gsi1sk: image.imageId,
              gsi2pk: ownerIndex.imagesByKind(image.ownerId, image.kind),
              gsi2sk: image.imageId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async get(imageId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.image(imageId) }));
      return Item ? toImage(Item) : undefined;
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
  };
}
