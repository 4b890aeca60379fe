import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PageKey } from '../domain/generation/ports.ts';
import type { ImageRecord } from '../domain/images/image.ts';
import type { ImageCatalog } from '../domain/images/sharing.ts';
import { ConflictError } from '../errors.ts';
import { toImage } from './image-repository.ts';
import { keys, ownerIndex } from './table-keys.ts';
import { transactWrite } from './transact.ts';

/** An image's update, sent alone or inside a transaction. */
interface ImageUpdate {
  readonly TableName: string;
  readonly Key: Record<string, string>;
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}

const changedMeanwhile = () => new ConflictError('The image changed meanwhile; read it again and retry.');

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

  async function read(imageId: string) {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.image(imageId), ConsistentRead: true }),
    );
    if (!Item) throw changedMeanwhile();
    return toImage(Item);
  }

  /**
   * Sharing or unsharing: the image, the owner's public-image item (their profile's
   * listing) and the owner's `publicImageCount` change in one transaction. The count
   * moves only with the item (each write is conditional on the item's absence or
   * presence), so a repeated change counts once, and an image shared before these items
   * existed is unshared without taking one from the count.
   */
  async function moveBetweenPublicAndPrivate(
    image: ImageRecord,
    isPublic: boolean,
    imageUpdate: ImageUpdate,
  ) {
    const publicItem = keys.publicImage(image.ownerId, image.imageId);
    const guardedUpdate: ImageUpdate = {
      ...imageUpdate,
      ConditionExpression: `(${imageUpdate.ConditionExpression}) AND isPublic = :was`,
      ExpressionAttributeValues: { ...imageUpdate.ExpressionAttributeValues, ':was': image.isPublic },
    };
    try {
      await transactWrite(db, {
        TransactItems: [
          { Update: guardedUpdate },
          isPublic
            ? {
                Put: {
                  TableName: tableName,
                  Item: { ...publicItem, imageId: image.imageId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              }
            : {
                Delete: {
                  TableName: tableName,
                  Key: publicItem,
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
          {
            Update: {
              TableName: tableName,
              Key: keys.profile(image.ownerId),
              UpdateExpression: 'ADD publicImageCount :by',
              ExpressionAttributeValues: { ':by': isPublic ? 1 : -1 },
            },
          },
        ],
      });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [imageReason, itemReason] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      if (imageReason === 'ConditionalCheckFailed' || itemReason !== 'ConditionalCheckFailed') {
        throw changedMeanwhile();
      }
      // The public item was already as it should be: only the image is left to change.
      try {
        await db.send(new UpdateCommand(guardedUpdate));
      } catch (retryError) {
        if (retryError instanceof ConditionalCheckFailedException) throw changedMeanwhile();
        throw retryError;
      }
    }
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
      const imageUpdate = {
        TableName: tableName,
        Key: keys.image(image.imageId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        // Only a READY image is listed in the gallery; one being deleted is left alone.
        ConditionExpression: isPublic ? '#status = :ready' : 'attribute_exists(pk) AND #status <> :deleting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...values,
          ...(isPublic ? { ':ready': 'READY' } : { ':deleting': 'DELETING' }),
        },
      } satisfies ImageUpdate;
      if (isPublic !== image.isPublic) {
        await moveBetweenPublicAndPrivate(image, isPublic, imageUpdate);
        return read(image.imageId);
      }
      try {
        const { Attributes } = await db.send(new UpdateCommand({ ...imageUpdate, ReturnValues: 'ALL_NEW' }));
        return toImage(Attributes!);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw changedMeanwhile();
        throw error;
      }
    },
  };
}
