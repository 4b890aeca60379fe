import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ProfileStore, StoredProfile } from '../domain/accounts/ports.ts';
import { globalCount } from './global-stats.ts';
import { keys } from './table-keys.ts';
import { transactWrite } from './transact.ts';

const profileKey = keys.profile;

function toProfile(item: Record<string, unknown>): StoredProfile {
  return {
    userId: String(item.userId),
    email: String(item.email),
    displayName: String(item.displayName),
    ...(item.bio !== undefined ? { bio: String(item.bio) } : {}),
    ...(item.mfaEnabled !== undefined ? { mfaEnabled: item.mfaEnabled === true } : {}),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

/** Profiles, sign-out times and daily usage in the single table (see docs/data-model.md). */
export function profileRepository(db: DynamoDBDocumentClient, tableName: string): ProfileStore {
  async function read(userId: string) {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: profileKey(userId), ConsistentRead: true }),
    );
    return Item;
  }
  // A sign-out can precede the first profile read and leave an item with only its time.
  const profileOf = (item: Record<string, unknown> | undefined) =>
    item?.email ? toProfile(item) : undefined;
  const get = async (userId: string) => profileOf(await read(userId));

  return {
    get,
    async create(profile) {
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: profileKey(profile.userId),
                UpdateExpression:
                  'SET userId = :userId, email = :email, displayName = :displayName, createdAt = :createdAt, updatedAt = :updatedAt',
                ConditionExpression: 'attribute_not_exists(email)',
                ExpressionAttributeValues: {
                  ':userId': profile.userId,
                  ':email': profile.email,
                  ':displayName': profile.displayName,
                  ':createdAt': profile.createdAt,
                  ':updatedAt': profile.updatedAt,
                },
              },
            },
            globalCount(tableName, { users: 1 }),
          ],
        });
        return profile;
      } catch (error) {
        // Two first requests at once: the one that lost answers what the other stored.
        if (error instanceof TransactionCanceledException) return (await get(profile.userId))!;
        throw error;
      }
    },
    async update(userId, changes, now) {
      const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':updatedAt': now };
      const sets = ['#updatedAt = :updatedAt'];
      for (const [field, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: profileKey(userId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(email)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toProfile(Attributes!);
    },
    async revokeSessions(userId, issuedAtOrBefore) {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: profileKey(userId),
          UpdateExpression: 'SET revokedBefore = :at',
          ExpressionAttributeValues: { ':at': issuedAtOrBefore },
        }),
      );
    },
    async session(userId) {
      const item = await read(userId);
      const profile = profileOf(item);
      return {
        ...(typeof item?.revokedBefore === 'number' ? { revokedBefore: item.revokedBefore } : {}),
        ...(profile ? { profile } : {}),
      };
    },
    async usageOn(userId, day) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.usage(userId, day),
          ProjectionExpression: 'images, descriptions',
        }),
      );
      const count = (value: unknown) => (typeof value === 'number' ? value : 0);
      return { images: count(Item?.images), descriptions: count(Item?.descriptions) };
    },
  };
}
