import { dynamoDocumentClient, s3Client } from '../shared/adapters/aws-clients.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { optionalCaller } from '../shared/auth/optional-caller.ts';
import { createSessionGuard } from '../shared/auth/session-guard.ts';
import { createTokenVerifier } from '../shared/auth/token-verifier.ts';
import { loadConfig } from '../shared/config.ts';
import { imageView } from '../shared/domain/images/image.ts';
import { getVisibleImage, privateImageUrls } from '../shared/domain/images/image-queries.ts';
import { ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes.ts';

const config = loadConfig(['TABLE_NAME', 'IMAGE_BUCKET', 'USER_POOL_ID', 'USER_POOL_CLIENT_ID', 'JWKS_URI']);
const db = dynamoDocumentClient();
const images = imageRepository(db, config.TABLE_NAME);
const profiles = profileRepository(db, config.TABLE_NAME);
const storage = s3ObjectStorage(s3Client(), config.IMAGE_BUCKET);

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
