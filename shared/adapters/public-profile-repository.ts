import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PageKey } from '../domain/ports.ts';
import type { PublicProfileStore } from '../domain/profiles/profiles.ts';
import { keys, userItemPrefix, userPartition } from './table-keys.ts';
import { transactWrite } from './transact.ts';

/**
 * Profiles as anyone may see them: the profile item (with the `publicImageCount` that
 * sharing, unsharing and deleting move), and the user's public-image items, `PUBLIC#<imageId>`
 * in their partition (see docs/data-model.md).
 */
export function publicProfileRepository(db: DynamoDBDocumentClient, tableName: string): PublicProfileStore {
  return {
    async get(userId) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.profile(userId),
          ProjectionExpression: 'userId, email, displayName, bio, publicImageCount, createdAt',
        }),
      );
      // Only a profile with an e-mail is a user's (a sign-out alone leaves an item with its time).
      if (!Item?.email) return undefined;
      return {
        userId: String(Item.userId),
        displayName: String(Item.displayName),
        bio: typeof Item.bio === 'string' ? Item.bio : '',
        publicImageCount: Math.max(0, typeof Item.publicImageCount === 'number' ? Item.publicImageCount : 0),
        joinedAt: String(Item.createdAt),
      };
    },
    async listPublicImageIds(userId, { limit, startKey }) {
      const { Items, LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :public)',
          ExpressionAttributeValues: { ':pk': userPartition(userId), ':public': userItemPrefix.publicImage },
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

/**
 * For operators: gives images shared before profiles listed them their public-image item
 * and their place in `publicImageCount`, page by page of the gallery listing. Each image is
 * one transaction, conditional on the image being public still and on having no item yet,
 * so running it again (or beside people sharing and unsharing) counts nothing twice.
 */
export async function backfillPublicImages(
  db: DynamoDBDocumentClient,
  tableName: string,
  onPage?: (progress: { seen: number; added: number }) => void,
): Promise<{ seen: number; added: number }> {
  let seen = 0;
  let added = 0;
  let startKey: PageKey | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gallery',
        KeyConditionExpression: 'gsi3pk = :gallery',
        ExpressionAttributeValues: { ':gallery': 'GALLERY' },
        ProjectionExpression: 'imageId, ownerId',
        Limit: 100,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      seen++;
      const imageId = String(item.imageId);
      const ownerId = String(item.ownerId);
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              ConditionCheck: {
                TableName: tableName,
                Key: keys.image(imageId),
                ConditionExpression: 'isPublic = :true AND #status = :ready',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':true': true, ':ready': 'READY' },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...keys.publicImage(ownerId, imageId), imageId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: keys.profile(ownerId),
                UpdateExpression: 'ADD publicImageCount :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        });
        added++;
      } catch (error) {
        // Listed already, or no longer public: nothing to do.
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
    onPage?.({ seen, added });
  } while (startKey);
  return { seen, added };
}
