import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentRecord, CommentStore } from '../domain/comments/comments.ts';
import { NotFoundError } from '../errors.ts';
import { keys } from './table-keys.ts';
import { transactWrite } from './transact.ts';

function toComment(item: Record<string, unknown>): CommentRecord {
  const { pk: _pk, sk: _sk, ...comment } = item;
  return comment as unknown as CommentRecord;
}

/**
 * Comments live in their image's partition (`IMAGE#<id>`, `COMMENT#<id>`): newest first
 * is one Query, and the image's `commentCount` moves in the same transaction as each
 * comment, so it stays exact under concurrent adds and removals. Each comment also has an
 * entry in its author's partition, written and removed with it, so that an account being
 * deleted finds its comments on others' images without a Scan.
 */
export function commentRepository(db: DynamoDBDocumentClient, tableName: string): CommentStore {
  const commentCount = (imageId: string, by: number) => ({
    Update: {
      TableName: tableName,
      Key: keys.image(imageId),
      UpdateExpression: 'ADD commentCount :by',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':by': by },
    },
  });

  return {
    async add(comment) {
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...keys.comment(comment.imageId, comment.commentId), ...comment },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            commentCount(comment.imageId, 1),
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.authoredComment(comment.authorId, comment.imageId, comment.commentId),
                  imageId: comment.imageId,
                  commentId: comment.commentId,
                },
              },
            },
          ],
        });
      } catch (error) {
        // What is left after retrying conflicts is a failed condition: the image is gone.
        if (error instanceof TransactionCanceledException) throw new NotFoundError('No such image.');
        throw error;
      }
    },
    async get(imageId, commentId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.comment(imageId, commentId) }),
      );
      return Item ? toComment(Item) : undefined;
    },
    async updateText(comment, text, now) {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.comment(comment.imageId, comment.commentId),
          UpdateExpression: 'SET #text = :text, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#text': 'text' },
          ExpressionAttributeValues: { ':text': text, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toComment(Attributes!);
    },
    async remove(comment) {
      try {
        await transactWrite(db, {
          TransactItems: [
            {
              Delete: {
                TableName: tableName,
                Key: keys.comment(comment.imageId, comment.commentId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            commentCount(comment.imageId, -1),
            {
              Delete: {
                TableName: tableName,
                Key: keys.authoredComment(comment.authorId, comment.imageId, comment.commentId),
              },
            },
          ],
        });
      } catch (error) {
        // Removed meanwhile by someone else (or with its image): the outcome is the same.
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    },
    async list(imageId, { limit, startKey }) {
      const { Items, LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :comment)',
          ExpressionAttributeValues: { ':pk': keys.image(imageId).pk, ':comment': 'COMMENT#' },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        items: (Items ?? []).map(toComment),
        ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey } : {}),
      };
    },
  };
}
