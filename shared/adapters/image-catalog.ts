import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PageKey } from '../domain/generation/ports.ts';
import type { ImageRecord } from '../domain/images/image.ts';
import type { ImageCatalog } from '../domain/images/sharing.ts';
import { ConflictError } from '../errors.ts';
import { toImage } from './image-repository.ts';
import { keys, ownerIndex } from './table-keys.ts';

/** The gallery listing's one partition: public, READY images by id (ULIDs sort by time). */
const galleryPartition = 'GALLERY';

/** Image listings (mine, mine by kind, the public gallery) and sharing, in the single table. */
export function imageCatalog(db: DynamoDBDocumentClient, tableName: string): ImageCatalog {
  async function query(
    index: string,
    partitionKey: string,
    value: string,
    limit: number,
    startKey?: PageKey,
  ) {
    const { Items, LastEvaluatedKey } = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: `${partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': value },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: (Items ?? []).map(toImage), ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey } : {}) };
  }

  return {
    listByOwner(ownerId, { kind, limit, startKey }) {
      return kind
        ? query('byOwnerFacet', 'gsi2pk', ownerIndex.imagesByKind(ownerId, kind), limit, startKey)
        : query('byOwner', 'gsi1pk', ownerIndex.images(ownerId), limit, startKey);
    },
    listGallery({ limit, startKey }) {
      return query('gallery', 'gsi3pk', galleryPartition, limit, startKey);
    },
    async getMany(imageIds) {
      const found = new Map<string, ImageRecord>();
      let pending: Record<string, unknown>[] | undefined = [...new Set(imageIds)].map((id) => keys.image(id));
      while (pending?.length) {
        const result: BatchGetCommandOutput = await db.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
        );
        for (const item of result.Responses?.[tableName] ?? [])
          found.set(String(item.imageId), toImage(item));
        pending = result.UnprocessedKeys?.[tableName]?.Keys;
      }
      return imageIds.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
    },
    async update(image, { title, isPublic, indexedWords, publicToken }, now) {
      const sets = ['isPublic = :public', 'indexedWords = :words', 'updatedAt = :now'];
      const removes: string[] = [];
      const values: Record<string, unknown> = { ':public': isPublic, ':words': indexedWords, ':now': now };
      if (title === null) removes.push('title');
      else if (title !== undefined) {
        sets.push('title = :title');
        values[':title'] = title;
      }
      if (publicToken === null) removes.push('publicToken');
      else if (publicToken !== undefined) {
        sets.push('publicToken = :token');
        values[':token'] = publicToken;
      }
      if (isPublic) {
        sets.push('gsi3pk = :gallery', 'gsi3sk = :id');
        values[':gallery'] = galleryPartition;
        values[':id'] = image.imageId;
      } else {
        removes.push('gsi3pk', 'gsi3sk');
      }
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.image(image.imageId),
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            // Only a READY image is listed in the gallery; one being deleted is left alone.
            ConditionExpression: isPublic
              ? '#status = :ready'
              : 'attribute_exists(pk) AND #status <> :deleting',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ...values,
              ...(isPublic ? { ':ready': 'READY' } : { ':deleting': 'DELETING' }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return toImage(Attributes!);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new ConflictError('The image changed meanwhile; read it again and retry.');
        }
        throw error;
      }
    },
  };
}
