import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PublicProfileStore } from '../domain/profiles/profiles.ts';
import { keys, userItemPrefix, userPartition } from './table-keys.ts';

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
