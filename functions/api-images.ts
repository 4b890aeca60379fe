import { cloudFrontClient } from '../shared/adapters/clients/cloudfront.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { s3Client } from '../shared/adapters/clients/s3.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cloudFrontPublicCache } from '../shared/adapters/cloudfront-public-cache.ts';
import { commentRepository } from '../shared/adapters/comment-repository.ts';
import { dynamoRateLimiter } from '../shared/adapters/dynamo-rate-limiter.ts';
import { imageCatalog } from '../shared/adapters/image-catalog.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { likeRepository } from '../shared/adapters/like-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { searchIndexRepository } from '../shared/adapters/search-index-repository.ts';
import { loadCursorCodec, loadOriginSecret } from '../shared/adapters/secrets.ts';
import { announcedJobRepository } from '../shared/adapters/socket-job-events.ts';
import { sqsJobQueue } from '../shared/adapters/sqs-job-queue.ts';
import { loadConfig } from '../shared/config.ts';
import { listComments } from '../shared/domain/comments/comments.ts';
import { describeImage } from '../shared/domain/descriptions/descriptions.ts';
import { deleteImage } from '../shared/domain/images/delete-image.ts';
import { downloadUrl } from '../shared/domain/images/download.ts';
import { type ImageRecord, imageView } from '../shared/domain/images/image.ts';
import { getVisibleImage, imageUrls } from '../shared/domain/images/image-queries.ts';
import { changeImage, type SharingDeps } from '../shared/domain/images/sharing.ts';
import { likedByViewer, listMyLikes, setLike } from '../shared/domain/likes/likes.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { optionalAuthOptions } from '../shared/http/optional-auth-options.ts';
import { accepted, found, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-images.ts';
import { newId, newToken } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-images']);
// Both keys at once: a cold start waits for the slower, not for the two in turn.
const [originSecret, cursors] = await Promise.all([loadOriginSecret(config), loadCursorCodec(config)]);
const db = dynamoDocumentClient();
const images = imageRepository(db, config.TABLE_NAME);
const profiles = profileRepository(db, config.TABLE_NAME);
const storage = s3ObjectStorage(s3Client(), config.IMAGE_BUCKET);
const sharing: SharingDeps = {
  images,
  catalog: imageCatalog(db, config.TABLE_NAME),
  storage,
  index: searchIndexRepository(db, config.TABLE_NAME),
  cache: cloudFrontPublicCache(cloudFrontClient(), config.DISTRIBUTION_ID),
  clock: systemClock,
  newToken,
};
const comments = {
  comments: commentRepository(db, config.TABLE_NAME),
  images,
  clock: systemClock,
  newId,
};
const descriptions = {
  images,
  jobs: announcedJobRepository(db, config),
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  clock: systemClock,
  newId,
  visionModel: config.VISION_MODEL,
  descriptionsPerDay: config.DESCRIPTIONS_PER_DAY,
};
const likes = { images, likes: likeRepository(db, config.TABLE_NAME), clock: systemClock, newId };
const writes = dynamoRateLimiter(db, config.TABLE_NAME, systemClock);

/** The images as the API shows them; with a viewer, each says whether they like it (one batch read). */
async function shownAll(images: readonly ImageRecord[], viewerId: string | undefined) {
  const liked = await likedByViewer(likes.likes, viewerId, images);
  return Promise.all(
    images.map(async (image) => ({
      ...imageView(image, await imageUrls(storage, config.CDN_BASE_URL, image)),
      ...(liked ? { likedByMe: liked(image.imageId) } : {}),
    })),
  );
}
const shown = async (image: ImageRecord, viewerId: string | undefined) =>
  (await shownAll([image], viewerId))[0]!;

/** The first page of comments comes with the image; the rest from its comments route. */
const firstCommentsPage = 20;

export const handler = httpRouter(
  [
    bind(routes.listImages, async ({ caller, query }) => {
      const binding = `images:${caller.userId}:${query.kind ?? ''}`;
      const page = await sharing.catalog.listByOwner(caller.userId, {
        kind: query.kind,
        limit: query.limit,
        startKey: cursors.decode(query.cursor, binding),
      });
      return ok({
        items: await shownAll(page.items, caller.userId),
        nextCursor: cursors.encode(page.lastKey, binding),
      });
    }),
    bind(routes.listMyLikes, async ({ caller, query }) => {
      const binding = `likes:${caller.userId}`;
      const page = await listMyLikes({ likes: likes.likes, catalog: sharing.catalog }, caller.userId, {
        limit: query.limit,
        startKey: cursors.decode(query.cursor, binding),
      });
      return ok({
        items: await shownAll(page.items, caller.userId),
        nextCursor: cursors.encode(page.lastKey, binding),
      });
    }),
    bind(routes.likeImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'likes');
      return ok(await setLike(likes, caller.userId, params.imageId, true));
    }),
    bind(routes.unlikeImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'likes');
      return ok(await setLike(likes, caller.userId, params.imageId, false));
    }),
    bind(routes.getImage, async ({ caller, params }) => {
      const image = await getVisibleImage(images, caller?.userId, params.imageId);
      const page = await listComments(comments, caller?.userId, params.imageId, { limit: firstCommentsPage });
      return ok({
        ...(await shown(image, caller?.userId)),
        comments: {
          items: page.items,
          nextCursor: cursors.encode(page.lastKey, `comments:${params.imageId}`),
        },
      });
    }),
    bind(routes.downloadImage, async ({ caller, params }) =>
      found(await downloadUrl({ images, storage }, caller?.userId, params.imageId)),
    ),
    bind(routes.patchImage, async ({ caller, params, body }) => {
      await writes.take(caller.userId, 'shares');
      return ok(await shown(await changeImage(sharing, caller.userId, params.imageId, body), caller.userId));
    }),
    bind(routes.shareImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'shares');
      return ok(
        await shown(
          await changeImage(sharing, caller.userId, params.imageId, { isPublic: true }),
          caller.userId,
        ),
      );
    }),
    bind(routes.unshareImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'shares');
      return ok(
        await shown(
          await changeImage(sharing, caller.userId, params.imageId, { isPublic: false }),
          caller.userId,
        ),
      );
    }),
    bind(routes.deleteImage, async ({ caller, params }) => {
      await deleteImage(sharing, caller.userId, params.imageId);
      return noContent();
    }),
    bind(routes.describeImage, async ({ caller, params, correlationId }) => {
      await writes.take(caller.userId, 'describes');
      return accepted(await describeImage(descriptions, caller.userId, params.imageId, { correlationId }));
    }),
  ],
  { ...optionalAuthOptions(profiles, config), originSecret },
);
