import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { s3Client } from '../shared/adapters/clients/s3.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cognitoUserDirectory } from '../shared/adapters/cognito-user-directory.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { sharpImageProcessor } from '../shared/adapters/sharp-image-processor.ts';
import { announcedJobRepository } from '../shared/adapters/socket-job-events.ts';
import { sqsJobQueue } from '../shared/adapters/sqs-job-queue.ts';
import { uploadRepository } from '../shared/adapters/upload-repository.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import { type CreateEditDeps, createEdit } from '../shared/domain/edits/create-edit.ts';
import { generationSettings } from '../shared/domain/generation/generation-settings.ts';
import { gatewayMaxBodyBytes } from '../shared/domain/limits.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { accepted } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-edits.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-edits']);
const originSecret = await loadOriginSecret(config);
const db = dynamoDocumentClient();
const profiles = profileRepository(db, config.TABLE_NAME);
const accounts = {
  directory: cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID),
  profiles,
  clock: systemClock,
};
const deps: CreateEditDeps = {
  jobs: announcedJobRepository(db, config),
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  images: imageRepository(db, config.TABLE_NAME),
  uploads: uploadRepository(db, config.TABLE_NAME),
  storage: s3ObjectStorage(s3Client(), config.IMAGE_BUCKET),
  processor: sharpImageProcessor,
  clock: systemClock,
  newId,
  settings: generationSettings(config),
};

export const handler = httpRouter(
  [
    bind(
      routes.createEdit,
      async ({ caller, body, headers, correlationId }) =>
        accepted(
          await createEdit(deps, await requesterOf(accounts, caller), body, {
            idempotencyKey: headers['idempotency-key'],
            correlationId,
          }),
        ),
      { maxBodyBytes: gatewayMaxBodyBytes },
    ),
  ],
  { ...authOptions(profiles), originSecret },
);
