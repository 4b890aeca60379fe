import { ulid } from 'ulid';
import { dynamoDocumentClient, s3Client, sqsClient } from '../shared/adapters/aws-clients.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { jobRepository } from '../shared/adapters/job-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { sqsJobQueue } from '../shared/adapters/sqs-job-queue.ts';
import { optionalCaller } from '../shared/auth/optional-caller.ts';
import { createSessionGuard } from '../shared/auth/session-guard.ts';
import { createTokenVerifier } from '../shared/auth/token-verifier.ts';
import { loadConfig } from '../shared/config.ts';
import { systemClock } from '../shared/domain/accounts/ports.ts';
import { describeImage } from '../shared/domain/descriptions/descriptions.ts';
import { deleteImage } from '../shared/domain/images/delete-image.ts';
import { imageView } from '../shared/domain/images/image.ts';
import { getVisibleImage, privateImageUrls } from '../shared/domain/images/image-queries.ts';
import { accepted, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes.ts';

const config = loadConfig([
  'TABLE_NAME',
  'IMAGE_BUCKET',
  'JOBS_QUEUE_URL',
  'USER_POOL_ID',
  'USER_POOL_CLIENT_ID',
  'JWKS_URI',
  'VISION_MODEL',
]);
const db = dynamoDocumentClient();
const images = imageRepository(db, config.TABLE_NAME);
const profiles = profileRepository(db, config.TABLE_NAME);
const storage = s3ObjectStorage(s3Client(), config.IMAGE_BUCKET);
const descriptions = {
  images,
  jobs: jobRepository(db, config.TABLE_NAME),
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  clock: systemClock,
  newId: ulid,
  visionModel: config.VISION_MODEL,
};

export const handler = httpRouter(
  [
    bind(routes.getImage, async ({ caller, params }) => {
      const image = await getVisibleImage(images, caller?.userId, params.imageId);
      return ok({
        ...imageView(image, await privateImageUrls(storage, image)),
        // Comments arrive with the comment routes; until then an image has none.
        comments: { items: [], nextCursor: null },
      });
    }),
    bind(routes.deleteImage, async ({ caller, params }) => {
      await deleteImage({ images, storage, clock: systemClock }, caller.userId, params.imageId);
      return noContent();
    }),
    bind(routes.describeImage, async ({ caller, params, correlationId }) =>
      accepted(await describeImage(descriptions, caller.userId, params.imageId, { correlationId })),
    ),
  ],
  {
    guardCaller: createSessionGuard((userId) => profiles.revokedBefore(userId)),
    resolveOptionalCaller: optionalCaller(
      createTokenVerifier({
        userPoolId: config.USER_POOL_ID,
        clientId: config.USER_POOL_CLIENT_ID,
        jwksUri: config.JWKS_URI,
      }),
    ),
  },
);
