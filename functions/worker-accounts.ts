import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { accountRepository } from '../shared/adapters/account-repository.ts';
import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cognitoAccountAdmin } from '../shared/adapters/cognito-account-admin.ts';
import { characters } from '../shared/composition/characters.ts';
import { imageRemoval } from '../shared/composition/images.ts';
import { profiles } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { type CloseAccountDeps, closeAccount } from '../shared/domain/accounts/close-account.ts';
import { functionConfig } from '../shared/function-config.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig(functionConfig['worker-accounts']);
const deps: CloseAccountDeps = {
  ...imageRemoval(config),
  accounts: accountRepository(dynamoDocumentClient(), config.TABLE_NAME),
  profiles: profiles(config),
  characters: characters(config),
  directory: cognitoAccountAdmin(cognitoClient(), config.USER_POOL_ID),
};

export const AccountDeletionMessage = z.object({
  type: z.literal('deleteAccount'),
  userId: z.string().check(z.minLength(1)),
  username: z.string().check(z.minLength(1)),
});

async function handleRecord(record: SQSRecord) {
  const parsed = AccountDeletionMessage.safeParse(JSON.parse(record.body));
  if (!parsed.success) {
    // Retrying cannot fix a message that names no account: keep it out of the DLQ's way, loudly.
    logger.error('dropping a message that is not an account deletion', { body: record.body.slice(0, 500) });
    return;
  }
  await closeAccount(deps, parsed.data);
  logger.info('account deleted', { userId: parsed.data.userId });
  count('accountsDeleted');
}

// A step that fails is tried again from the start: each step can be repeated.
export const handler = sqsWorker({
  handleRecord,
  sqs: sqsClient(),
  retry: { baseSeconds: config.RETRY_BASE_SECONDS, maxSeconds: config.RETRY_MAX_SECONDS },
});
