import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { popularityScore, type RankedReader, rankScopes } from '../domain/gallery/popularity.ts';
import type { ImageRecord } from '../domain/images/image.ts';
import type { ImageCatalog } from '../domain/images/sharing.ts';
import type { PageKey } from '../domain/ports.ts';
import { ConflictError } from '../errors.ts';
import { toImage } from './image-repository.ts';
import { imagePartition, keys, ownerIndex, popularIndex } from './table-keys.ts';
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

/** The gallery listing's one partition: public, READY images by id (ULIDs sort by time). */
const galleryPartition = 'GALLERY';

/**
 * A shared image's popularity entries (docs/data-model.md): in its partition, one per place
 * it is ranked (`rankScopes`), each keyed on the `popular` index by its bucket and its score.
 */
export function rankEntryItems(
  image: Pick<ImageRecord, 'imageId' | 'style' | 'likeCount' | 'createdAt'>,
  sharedAt: string,
): Record<string, unknown>[] {
  const score = popularityScore(image.likeCount ?? 0, image.createdAt);
  return rankScopes(image, new Date(sharedAt)).map((rank) => ({
    ...keys.rank(image.imageId, rank.scope),
    gsi4pk: popularIndex.partition(rank.period, rank.bucket, rank.style),
    gsi4sk: score,
    imageId: image.imageId,
    sharedAt,
  }));
}

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

  /** One bucket of the `popular` index, best first; the share-time floor filters the oldest bucket. */
  const readRanked: RankedReader = async (source, { limit, startKey }) => {
    const { Items, LastEvaluatedKey } = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: popularIndex.name,
        KeyConditionExpression: 'gsi4pk = :pk',
        ...(source.since ? { FilterExpression: 'sharedAt >= :since' } : {}),
        ExpressionAttributeValues: {
          ':pk': popularIndex.partition(source.period, source.bucket, source.style),
          ...(source.since ? { ':since': source.since } : {}),
        },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const entryOf = (item: Record<string, unknown>) => ({
      imageId: String(item.pk).slice(imagePartition('').length),
      score: Number(item.gsi4sk),
    });
    return {
      items: (Items ?? []).map((item) => ({
        ...entryOf(item),
        key: { pk: item.pk, sk: item.sk, gsi4pk: item.gsi4pk, gsi4sk: item.gsi4sk },
      })),
      ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey, lastScore: entryOf(LastEvaluatedKey) } : {}),
    };
  };

  /**
   * Sharing or unsharing: the image (with its popularity entries), the owner's public-image
   * item (their profile's listing) and the owner's `publicImageCount` change in one
   * transaction. The count moves only with the item (each write is conditional on the item's
   * absence or presence), so a repeated change counts once, and an image shared before these
   * items existed is unshared without taking one from the count.
   */
  async function moveBetweenPublicAndPrivate(
    image: ImageRecord,
    isPublic: boolean,
    imageUpdate: ImageUpdate,
    entries: NonNullable<TransactWriteCommandInput['TransactItems']>,
    changed: () => Error,
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
          ...entries,
        ],
      });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [imageReason, itemReason] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      if (imageReason === 'ConditionalCheckFailed' || itemReason !== 'ConditionalCheckFailed') {
        throw changed();
      }
      // The public item was already as it should be: only the image and its entries are left.
      try {
        await transactWrite(db, { TransactItems: [{ Update: guardedUpdate }, ...entries] });
      } catch (retryError) {
        if (retryError instanceof TransactionCanceledException) throw changed();
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
    readRanked,
    async rankShared(image, sharedAt) {
      const likes = image.likeCount ?? 0;
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.image(image.imageId),
                UpdateExpression: 'SET sharedAt = :sharedAt',
                ConditionExpression: `#status = :ready AND isPublic = :public AND attribute_not_exists(sharedAt) AND ${
                  likes ? 'likeCount = :likes' : '(attribute_not_exists(likeCount) OR likeCount = :likes)'
                }`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':sharedAt': sharedAt,
                  ':ready': 'READY',
                  ':public': true,
                  ':likes': likes,
                },
              },
            },
            ...rankEntryItems({ ...image, likeCount: likes }, sharedAt).map((Item) => ({
              Put: { TableName: tableName, Item },
            })),
          ],
        });
        return true;
      } catch (error) {
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
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
      // Sharing ranks the image (its popularity entries, scored from its likes as read, and
      // `sharedAt`); unsharing takes the entries away. Either way in one transaction with the record.
      const sharing = isPublic && !image.isPublic;
      const unranking = !isPublic && image.sharedAt !== undefined;
      const sharedAt = sharing ? now : undefined;
      if (sharedAt) {
        sets.push('sharedAt = :sharedAt');
        values[':sharedAt'] = sharedAt;
      }
      if (unranking) removes.push('sharedAt');
      const likes = image.likeCount ?? 0;
      const conditions = [isPublic ? '#status = :ready' : 'attribute_exists(pk) AND #status <> :deleting'];
      if (sharing) {
        // The scores start from the likes read; a like meanwhile makes this a conflict.
        conditions.push(
          likes ? 'likeCount = :likes' : '(attribute_not_exists(likeCount) OR likeCount = :likes)',
        );
        values[':likes'] = likes;
      }
      const update: ImageUpdate = {
        TableName: tableName,
        Key: keys.image(image.imageId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        // Only a READY image is listed in the gallery; one being deleted is left alone.
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...values,
          ...(isPublic ? { ':ready': 'READY' } : { ':deleting': 'DELETING' }),
        },
      };
      const changed = () => new ConflictError('The image changed meanwhile; read it again and retry.');
      const changesVisibility = isPublic !== image.isPublic;
      if (!sharedAt && !unranking && !changesVisibility) {
        try {
          const { Attributes } = await db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
          return toImage(Attributes!);
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) throw changed();
          throw error;
        }
      }
      const entries = sharedAt
        ? rankEntryItems({ ...image, likeCount: likes }, sharedAt).map((Item) => ({
            Put: { TableName: tableName, Item },
          }))
        : unranking
          ? rankScopes(image, new Date(0)).map((rank) => ({
              Delete: { TableName: tableName, Key: keys.rank(image.imageId, rank.scope) },
            }))
          : [];
      if (!changesVisibility) {
        try {
          await transactWrite(db, { TransactItems: [{ Update: update }, ...entries] });
        } catch (error) {
          if (error instanceof TransactionCanceledException) throw changed();
          throw error;
        }
      } else {
        await moveBetweenPublicAndPrivate(image, isPublic, update, entries, changed);
      }
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.image(image.imageId), ConsistentRead: true }),
      );
      if (!Item) throw changed();
      return toImage(Item);
    },
  };
}
