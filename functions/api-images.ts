import { sharing } from '../shared/composition/images.ts';
import { descriptionDeps } from '../shared/composition/jobs.ts';
import { rateLimiter } from '../shared/composition/rate-limits.ts';
import { loadOriginSecretAndCursors } from '../shared/composition/secrets.ts';
import { comments, likes, profiles } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { commentsPage } from '../shared/domain/comments/comments.ts';
import { describeImage } from '../shared/domain/descriptions/descriptions.ts';
import { deleteImage } from '../shared/domain/images/delete-image.ts';
import { downloadUrl } from '../shared/domain/images/download.ts';
import { likedImagesPage, ownImagesPage, showImage } from '../shared/domain/images/image-listings.ts';
import { getVisibleImage } from '../shared/domain/images/image-queries.ts';
import { changeImage } from '../shared/domain/images/sharing.ts';
import { setLike } from '../shared/domain/likes/likes.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { optionalAuthOptions } from '../shared/http/optional-auth-options.ts';
import { accepted, found, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-images.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-images']);
const [originSecret, cursors] = await loadOriginSecretAndCursors(config);
const writes = rateLimiter(config);
const images = sharing(config);
const liking = { images: images.images, likes: likes(config), clock: systemClock, newId };
const views = { storage: images.storage, cdnBaseUrl: config.CDN_BASE_URL, likes: liking.likes };
const listed = { ...views, catalog: images.catalog, cursors };
const commented = { comments: comments(config), images: images.images, cursors };

/** Changes the caller's image and answers it as it is now. */
const changed = async (userId: string, imageId: string, changes: Parameters<typeof changeImage>[3]) =>
  showImage(views, await changeImage(images, userId, imageId, changes), userId);

/** The first page of comments comes with the image; the rest from its comments route. */
const firstCommentsPage = 20;

export const handler = httpRouter(
  [
    bind(routes.listImages, async ({ caller, query }) =>
      ok(await ownImagesPage(listed, caller.userId, query.kind, query)),
    ),
    bind(routes.listMyLikes, async ({ caller, query }) =>
      ok(await likedImagesPage({ ...listed, likes: liking.likes }, caller.userId, query)),
    ),
    bind(routes.likeImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'likes');
      return ok(await setLike(liking, caller.userId, params.imageId, true));
    }),
    bind(routes.unlikeImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'likes');
      return ok(await setLike(liking, caller.userId, params.imageId, false));
    }),
    bind(routes.getImage, async ({ caller, params }) => {
      const image = await getVisibleImage(images.images, caller?.userId, params.imageId);
      const page = await commentsPage(commented, caller?.userId, params.imageId, {
        limit: firstCommentsPage,
      });
      return ok({ ...(await showImage(views, image, caller?.userId)), comments: page });
    }),
    bind(routes.downloadImage, async ({ caller, params }) =>
      found(await downloadUrl(images, caller?.userId, params.imageId)),
    ),
    bind(routes.patchImage, async ({ caller, params, body }) => {
      await writes.take(caller.userId, 'shares');
      return ok(await changed(caller.userId, params.imageId, body));
    }),
    bind(routes.shareImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'shares');
      return ok(await changed(caller.userId, params.imageId, { isPublic: true }));
    }),
    bind(routes.unshareImage, async ({ caller, params }) => {
      await writes.take(caller.userId, 'shares');
      return ok(await changed(caller.userId, params.imageId, { isPublic: false }));
    }),
    bind(routes.deleteImage, async ({ caller, params }) => {
      await deleteImage(images, caller.userId, params.imageId);
      return noContent();
    }),
    bind(routes.describeImage, async ({ caller, params, correlationId }) => {
      await writes.take(caller.userId, 'describes');
      return accepted(
        await describeImage(descriptionDeps(config), caller.userId, params.imageId, { correlationId }),
      );
    }),
  ],
  { ...optionalAuthOptions(profiles(config), config), originSecret },
);
