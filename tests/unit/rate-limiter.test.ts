import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoRateLimiter } from '../../shared/adapters/dynamo-rate-limiter.ts';
import { writeRatesPerMinute } from '../../shared/domain/limits.ts';
import { RateLimitedError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
// 10:00:45 UTC: 15 seconds before the minute turns.
const clock = { now: () => new Date('2026-11-22T10:00:45.000Z') };
const windowStart = Date.parse('2026-11-22T10:00:00.000Z') / 1000;

beforeEach(() => dynamo.reset());

describe('dynamoRateLimiter', () => {
  it('counts a write in the user’s counter of this kind and minute, refused at the limit, expiring by TTL', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await dynamoRateLimiter(db, 'table', clock).take('u1', 'comments');
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      TableName: 'table',
      Key: { pk: 'USER#u1', sk: `RATE#comments#${windowStart}` },
      UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': writeRatesPerMinute.comments,
        ':expires': windowStart + 120,
      },
    });
  });

  it('answers 429 RATE_LIMITED with the seconds until the minute turns', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    const refusal = await dynamoRateLimiter(db, 'table', clock)
      .take('u1', 'describes')
      .catch((e) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    const error = httpErrorOf(refusal)!;
    expect(error.status).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.headers?.['retry-after']).toBe('15');
    expect(error.message).toBe('Too many description requests: at most 30 a minute. Try again shortly.');
  });

  it('keeps each kind and each user apart', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const limiter = dynamoRateLimiter(db, 'table', clock, { ...writeRatesPerMinute, profile: 2 });
    await limiter.take('u1', 'profile');
    await limiter.take('u2', 'shares');
    const [first, second] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(first).toMatchObject({
      Key: { sk: `RATE#profile#${windowStart}` },
      ExpressionAttributeValues: { ':limit': 2 },
    });
    expect(second).toMatchObject({ Key: { pk: 'USER#u2', sk: `RATE#shares#${windowStart}` } });
  });

  it('lets other failures through', async () => {
    dynamo.on(UpdateCommand).rejects(new Error('throttled'));
    await expect(dynamoRateLimiter(db, 'table', clock).take('u1', 'uploads')).rejects.toThrow('throttled');
  });
});
