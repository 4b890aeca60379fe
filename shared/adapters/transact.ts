import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

const defaultAttempts = 5;

/** Whether a transaction lost to another one on the same items, rather than failing a condition. */
function lostToConflict(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

/**
 * TransactWriteItems, tried again (with a short, growing, jittered wait) when DynamoDB
 * cancelled it for a concurrent transaction on the same items, which it leaves to the
 * caller: two comments added at once both land, and the count stays exact.
 */
export async function transactWrite(
  db: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  attempts = defaultAttempts,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.send(new TransactWriteCommand(input));
    } catch (error) {
      if (!lostToConflict(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}
