import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UploadRecord, UploadStore } from '../domain/uploads/upload.ts';
import { RateLimitedError } from '../errors.ts';
import { conditionalWrite } from './conditional-write.ts';
import { imageItem } from './image-repository.ts';
import { keys } from './table-keys.ts';

function toUpload(item: Record<string, unknown>): UploadRecord {
  const { pk: _pk, sk: _sk, ...upload } = item;
  return upload as unknown as UploadRecord;
}

/**
 * Announced uploads in the single table; TTL removes those never made. Each user's pending
 * tickets (upload id → expiry of its form) are one map in one item, so their count is
 * checked and raised in one conditional write (see docs/data-model.md).
 */
export function uploadRepository(db: DynamoDBDocumentClient, tableName: string): UploadStore {
  async function pendingTickets(key: Record<string, string>): Promise<Record<string, number>> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return (Item?.tickets as Record<string, number> | undefined) ?? {};
  }

  async function releaseTicket(ownerId: string, uploadId: string) {
    await conditionalWrite(() =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.pendingUploads(ownerId),
          UpdateExpression: 'REMOVE tickets.#upload',
          ConditionExpression: 'attribute_exists(tickets)',
          ExpressionAttributeNames: { '#upload': uploadId },
        }),
      ),
    );
  }

  /** Creates the user's map of tickets the first time, and drops the tickets whose form expired. */
  async function prunePendingTickets(key: Record<string, string>, now: number) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (!Item?.tickets) {
      await conditionalWrite(() =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, tickets: {} },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return;
    }
    const expired = Object.entries(Item.tickets as Record<string, number>)
      .filter(([, expiresAt]) => expiresAt <= now)
      .map(([uploadId]) => uploadId);
    if (expired.length === 0) return;
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `REMOVE ${expired.map((_, i) => `tickets.#t${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(expired.map((uploadId, i) => [`#t${i}`, uploadId])),
      }),
    );
  }

  return {
    async create(upload, pendingImage, ticket) {
      const pendingKey = keys.pendingUploads(upload.ownerId);
      const now = Math.floor(Date.parse(upload.createdAt) / 1000);
      await prunePendingTickets(pendingKey, now);
      // The count and the new ticket in one conditional write, so concurrent requests cannot
      // pass it together (a plain UpdateItem: many at once queue, where transactions would conflict).
      const held = await conditionalWrite(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: pendingKey,
            UpdateExpression: 'SET tickets.#upload = :expires',
            ConditionExpression: 'size(tickets) < :most',
            ExpressionAttributeNames: { '#upload': upload.uploadId },
            ExpressionAttributeValues: { ':expires': ticket.expiresAt, ':most': ticket.maxPending },
          }),
        ),
      );
      if (!held) {
        const soonest = Math.min(...Object.values(await pendingTickets(pendingKey)));
        throw new RateLimitedError(
          `You already hold ${ticket.maxPending} unused uploads from POST /api/uploads; use one, or wait until one expires.`,
          Number.isFinite(soonest) ? soonest - now : 60,
        );
      }
      const put = {
        TableName: tableName,
        Item: { ...keys.upload(upload.uploadId), ...upload },
        ConditionExpression: 'attribute_not_exists(pk)',
      };
      try {
        if (!pendingImage) {
          await db.send(new PutCommand(put));
          return;
        }
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              {
                Put: {
                  TableName: tableName,
                  Item: imageItem(pendingImage),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
      } catch (error) {
        await releaseTicket(upload.ownerId, upload.uploadId);
        throw error;
      }
    },
    releaseTicket,
    async get(uploadId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.upload(uploadId), ConsistentRead: true }),
      );
      return Item ? toUpload(Item) : undefined;
    },
    settle(uploadId, outcome, now) {
      const { status, ...fields } = outcome;
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = { ':status': status, ':pending': 'PENDING', ':now': now };
      const sets = ['#status = :status', 'updatedAt = :now'];
      for (const [field, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      return conditionalWrite(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.upload(uploadId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },
  };
}
