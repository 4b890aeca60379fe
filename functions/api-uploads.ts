import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { accounts } from '../shared/composition/accounts.ts';
import { rateLimiter } from '../shared/composition/rate-limits.ts';
import { uploadSigner } from '../shared/composition/storage.ts';
import { profiles, uploads } from '../shared/composition/table.ts';
import { imageIntake } from '../shared/composition/uploads.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import { imageView } from '../shared/domain/images/image.ts';
import { imageUrls } from '../shared/domain/images/image-queries.ts';
import { apiUploadMaxBodyBytes } from '../shared/domain/limits.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { addImage, bodyTooLargeForImages } from '../shared/domain/uploads/add-image.ts';
import { type CreateUploadDeps, createUpload } from '../shared/domain/uploads/create-upload.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { accepted, created } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-uploads.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-uploads']);
const originSecret = await loadOriginSecret(config);
const writes = rateLimiter(config);
const uploadDeps: CreateUploadDeps = {
  uploads: uploads(config),
  signer: uploadSigner(config),
  clock: systemClock,
  newId,
};
const imageDeps = imageIntake(config);

export const handler = httpRouter(
  [
    bind(routes.createUpload, async ({ caller, body, correlationId }) => {
      await writes.take(caller.userId, 'uploads');
      return created(
        await createUpload(uploadDeps, await requesterOf(accounts(config), caller), body, { correlationId }),
      );
    }),
    bind(
      routes.addImage,
      async ({ caller, body, correlationId }) => {
        await writes.take(caller.userId, 'uploads');
        const requester = await requesterOf(accounts(config), caller);
        const image = await addImage(imageDeps, requester, body, { correlationId });
        return accepted(imageView(image, await imageUrls(imageDeps.storage, config.CDN_BASE_URL, image)));
      },
      {
        maxBodyBytes: apiUploadMaxBodyBytes,
        bodyTooLarge: bodyTooLargeForImages,
      },
    ),
  ],
  { ...authOptions(profiles(config)), originSecret },
);
