import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { s3Client } from '../shared/adapters/clients/s3.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cognitoUserDirectory } from '../shared/adapters/cognito-user-directory.ts';
import { dynamoRateLimiter } from '../shared/adapters/dynamo-rate-limiter.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { s3ObjectStorage, s3UploadSigner } from '../shared/adapters/s3-object-storage.ts';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { sharpImageProcessor } from '../shared/adapters/sharp-image-processor.ts';
import { announcedJobRepository } from '../shared/adapters/socket-job-events.ts';
import { sqsJobQueue } from '../shared/adapters/sqs-job-queue.ts';
import { uploadRepository } from '../shared/adapters/upload-repository.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import { imageView } from '../shared/domain/images/image.ts';
import { imageUrls } from '../shared/domain/images/image-queries.ts';
import { apiUploadMaxBodyBytes } from '../shared/domain/limits.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { type AddImageDeps, addImage, bodyTooLargeForImages } from '../shared/domain/uploads/add-image.ts';
import { type CreateUploadDeps, createUpload } from '../shared/domain/uploads/create-upload.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { accepted, created } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-uploads.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-uploads']);
const originSecret = await loadOriginSecret(config);
const db = dynamoDocumentClient();
const profiles = profileRepository(db, config.TABLE_NAME);
const accounts = {
  directory: cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID),
  profiles,
  clock: systemClock,
};
const storage = s3ObjectStorage(s3Client(), config.IMAGE_BUCKET);
const uploadDeps: CreateUploadDeps = {
  uploads: uploadRepository(db, config.TABLE_NAME),
  signer: s3UploadSigner(s3Client(), config.IMAGE_BUCKET),
  clock: systemClock,
  newId,
};
const imageDeps: AddImageDeps = {
  images: imageRepository(db, config.TABLE_NAME),
  storage,
  processor: sharpImageProcessor,
  jobs: announcedJobRepository(db, config),
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  clock: systemClock,
  newId,
  visionModel: config.VISION_MODEL,
  descriptionsPerDay: config.DESCRIPTIONS_PER_DAY,
};

const writes = dynamoRateLimiter(db, config.TABLE_NAME, systemClock);

export const handler = httpRouter(
  [
    bind(routes.createUpload, async ({ caller, body, correlationId }) => {
      await writes.take(caller.userId, 'uploads');
      return created(
        await createUpload(uploadDeps, await requesterOf(accounts, caller), body, { correlationId }),
      );
    }),
    bind(
      routes.addImage,
      async ({ caller, body, correlationId }) => {
        await writes.take(caller.userId, 'uploads');
        const image = await addImage(imageDeps, await requesterOf(accounts, caller), body, { correlationId });
        return accepted(imageView(image, await imageUrls(storage, config.CDN_BASE_URL, image)));
      },
      {
        maxBodyBytes: apiUploadMaxBodyBytes,
        bodyTooLarge: bodyTooLargeForImages,
      },
    ),
  ],
  { ...authOptions(profiles), originSecret },
);
