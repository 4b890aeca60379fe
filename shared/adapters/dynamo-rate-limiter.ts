import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type WriteKind, writeRatesPerMinute } from '../domain/limits.ts';
import type { Clock } from '../domain/ports.ts';
import type { RateLimiter } from '../domain/rate-limits/rate-limiter.ts';
import { RateLimitedError } from '../errors.ts';
import { keys } from './table-keys.ts';

const windowSeconds = 60;

const kindNames: Record<WriteKind, string> = {
  comments: 'comments',
  likes: 'likes',
  uploads: 'uploads',
  characters: 'character changes',
  describes: 'description requests',
  shares: 'sharing changes',
  profile: 'profile changes',
};

/**
 * A counter per user, kind and minute in the table: one conditional `UpdateItem` per write,
 * refused once the minute's count is reached, so concurrent writes from any number of
 * containers cannot pass it. The counters expire through the table's TTL. A fixed window:
 * at a minute's turn a user may make up to twice the rate within a few seconds, never more.
 */
export function dynamoRateLimiter(
  db: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
  rates: Readonly<Record<WriteKind, number>> = writeRatesPerMinute,
): RateLimiter {
  return {
    async take(userId, kind) {
      const now = clock.now().getTime() / 1000;
      const window = Math.floor(now / windowSeconds) * windowSeconds;
      const limit = rates[kind];
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.rate(userId, kind, window),
            UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': window + 2 * windowSeconds },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        throw new RateLimitedError(
          `Too many ${kindNames[kind]}: at most ${limit} a minute. Try again shortly.`,
          window + windowSeconds - now,
        );
      }
    },
  };
}
