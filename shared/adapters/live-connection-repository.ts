import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LiveConnectionStore } from '../domain/live/live-updates.ts';
import { connectionPrefix, keys } from './table-keys.ts';
import { transactWrite } from './transact.ts';

export interface OpenConnection {
  readonly connectionId: string;
  readonly expiresAt: number;
}

export interface LiveConnectionRepository extends LiveConnectionStore {
  /** The user's sockets that have not expired: one `Query`. */
  listConnections(userId: string, nowSeconds: number): Promise<OpenConnection[]>;
  /** Forgets a connection whose owner is known (a post that answered 410 Gone). */
  forgetConnection(userId: string, connectionId: string): Promise<void>;
}

const attempts = 5;

/** Live-updates tickets and connections in the single table (see docs/data-model.md). */
export function liveConnectionRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): LiveConnectionRepository {
  async function forgetConnection(userId: string, connectionId: string) {
    await transactWrite(db, {
      TransactItems: [
        { Delete: { TableName: tableName, Key: keys.connectionOwner(connectionId) } },
        { Delete: { TableName: tableName, Key: keys.connection(userId, connectionId) } },
      ],
    });
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.openConnections(userId),
          UpdateExpression: 'REMOVE connections.#id',
          ConditionExpression: 'attribute_exists(connections)',
          ExpressionAttributeNames: { '#id': connectionId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  return {
    async putTicket(ticket, userId, expiresAt) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.liveTicket(ticket), userId, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async consumeTicket(ticket, nowSeconds) {
      try {
        const { Attributes } = await db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: keys.liveTicket(ticket),
            // TTL removes expired items only eventually: an expired ticket still refuses.
            ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
            ExpressionAttributeValues: { ':now': nowSeconds },
            ReturnValues: 'ALL_OLD',
          }),
        );
        return typeof Attributes?.userId === 'string' ? Attributes.userId : undefined;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },

    async addConnection(userId, connectionId, { nowSeconds, expiresAt, max }) {
      // The user's open sockets are one item, changed only by a write conditional on the
      // version it was read at: two sockets opened at once cannot both take the last place.
      for (let attempt = 0; attempt < attempts; attempt++) {
        const { Item } = await db.send(
          new GetCommand({ TableName: tableName, Key: keys.openConnections(userId), ConsistentRead: true }),
        );
        const known = (Item?.connections ?? {}) as Record<string, number>;
        const live = Object.fromEntries(Object.entries(known).filter(([, expiry]) => expiry > nowSeconds));
        if (Object.keys(live).length >= max) return false;
        const connections = { ...live, [connectionId]: expiresAt };
        const version = typeof Item?.version === 'number' ? Item.version : 0;
        try {
          await transactWrite(db, {
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.openConnections(userId),
                    connections,
                    version: version + 1,
                    expiresAt: Math.max(...Object.values(connections)),
                  },
                  ConditionExpression: Item ? 'version = :version' : 'attribute_not_exists(pk)',
                  ...(Item ? { ExpressionAttributeValues: { ':version': version } } : {}),
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.connection(userId, connectionId),
                    connectionId,
                    connectedAt: nowSeconds,
                    expiresAt,
                  },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.connectionOwner(connectionId), userId, expiresAt },
                },
              },
            ],
          });
          return true;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
        }
      }
      throw new Error(`the connections of ${userId} kept changing; ${connectionId} was not kept`);
    },

    async removeConnection(connectionId) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.connectionOwner(connectionId),
          ConsistentRead: true,
        }),
      );
      if (typeof Item?.userId === 'string') await forgetConnection(Item.userId, connectionId);
    },

    forgetConnection,

    async listConnections(userId, nowSeconds) {
      const { Items } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: {
            ':pk': `USER#${userId}`,
            ':prefix': connectionPrefix,
            ':now': nowSeconds,
          },
        }),
      );
      return (Items ?? []).map((item) => ({
        connectionId: String(item.connectionId),
        expiresAt: Number(item.expiresAt),
      }));
    },
  };
}
