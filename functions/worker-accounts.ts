import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { accountRepository } from '../shared/adapters/account-repository.ts';
import { characterRepository } from '../shared/adapters/character-repository.ts';
import { cloudFrontClient } from '../shared/adapters/clients/cloudfront.ts';
import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { s3Client } from '../shared/adapters/clients/s3.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cloudFrontPublicCache } from '../shared/adapters/cloudfront-public-cache.ts';
import { cognitoAccountAdmin } from '../shared/adapters/cognito-account-admin.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { searchIndexRepository } from '../shared/adapters/search-index-repository.ts';
import { loadConfig } from '../shared/config.ts';
import { type CloseAccountDeps, closeAccount } from '../shared/domain/accounts/close-account.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig(functionConfig['worker-accounts']);
const db = dynamoDocumentClient();
const deps: CloseAccountDeps = {
  accounts: accountRepository(db, config.TABLE_NAME),
  profiles: profileRepository(db, config.TABLE_NAME),
  characters: characterRepository(db, config.TABLE_NAME),
  directory: cognitoAccountAdmin(cognitoClient(), config.USER_POOL_ID),
  images: imageRepository(db, config.TABLE_NAME),
  storage: s3ObjectStorage(s3Client(), config.IMAGE_BUCKET),
  index: searchIndexRepository(db, config.TABLE_NAME),
  cache: cloudFrontPublicCache(cloudFrontClient(), config.DISTRIBUTION_ID),
  clock: systemClock,
};

export const AccountDeletionMessage = z.object({
  type: z.literal('deleteAccount'),
  userId: z.string().min(1),
  username: z.string().min(1),
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
