import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { transactWrite } from '../../shared/adapters/transact.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => dynamo.reset());

describe('transactWrite', () => {
  it('tries again when a concurrent transaction won, and succeeds', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    await transactWrite(db, { TransactItems: [] });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('does not retry a failed condition', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(transactWrite(db, { TransactItems: [] })).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('gives up after a few conflicts in a row', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
    await expect(transactWrite(db, { TransactItems: [] })).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(5);
  });
});
