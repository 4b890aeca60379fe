import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UploadRecord, UploadStore } from '../domain/uploads/upload.ts';
import { conditionalWrite } from './conditional-write.ts';
import { imageItem } from './image-repository.ts';
import { keys } from './table-keys.ts';

function toUpload(item: Record<string, unknown>): UploadRecord {
  const { pk: _pk, sk: _sk, ...upload } = item;
  return upload as unknown as UploadRecord;
}

/** Announced uploads in the single table; TTL removes those never made (see docs/data-model.md). */
export function uploadRepository(db: DynamoDBDocumentClient, tableName: string): UploadStore {
  return {
    async create(upload, pendingImage) {
      const put = {
        TableName: tableName,
        Item: { ...keys.upload(upload.uploadId), ...upload },
        ConditionExpression: 'attribute_not_exists(pk)',
      };
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
    },
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
