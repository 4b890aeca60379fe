import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { imageCatalog } from '../shared/adapters/image-catalog.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { likeRepository } from '../shared/adapters/like-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { publicProfileRepository } from '../shared/adapters/public-profile-repository.ts';
import { searchIndexRepository } from '../shared/adapters/search-index-repository.ts';
import { loadCursorCodec, loadOriginSecret } from '../shared/adapters/secrets.ts';
import { loadConfig } from '../shared/config.ts';
import { imageView } from '../shared/domain/images/image.ts';
import { publicImageUrls } from '../shared/domain/images/image-queries.ts';
import { linkPreview } from '../shared/domain/images/link-preview.ts';
import { browseGallery } from '../shared/domain/images/sharing.ts';
import { likedByViewer } from '../shared/domain/likes/likes.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { getPublicProfile, listUserImages } from '../shared/domain/profiles/profiles.ts';
import { searchWords } from '../shared/domain/search/words.ts';
import { functionConfig } from '../shared/function-config.ts';
import { optionalAuthOptions } from '../shared/http/optional-auth-options.ts';
import { html, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-gallery.ts';

const config = loadConfig(functionConfig['api-gallery']);
// Both keys at once: a cold start waits for the slower, not for the two in turn.
const [originSecret, cursors] = await Promise.all([loadOriginSecret(config), loadCursorCodec(config)]);
const db = dynamoDocumentClient();
const catalog = imageCatalog(db, config.TABLE_NAME);
const deps = { catalog, index: searchIndexRepository(db, config.TABLE_NAME), clock: systemClock };
const profiles = { profiles: publicProfileRepository(db, config.TABLE_NAME), catalog };
const images = imageRepository(db, config.TABLE_NAME);
const likes = likeRepository(db, config.TABLE_NAME);

/** Public answers: anonymous, so the edge and browsers may keep them a moment. */

export const handler = httpRouter(
  [
    bind(routes.getGallery, async ({ caller, query }) => {
      const { q, sort, period, style, limit } = query;
      // The cursor belongs to its listing: the words, the order, its period and the style.
      const binding = `gallery:${searchWords(q ?? '').join(' ')}:${sort}:${sort === 'popular' ? period : ''}:${style ?? ''}`;
      const page = await browseGallery(deps, {
        q,
        sort,
        period,
        style,
        limit,
        startKey: cursors.decode(query.cursor, binding),
      });
      const liked = await likedByViewer(likes, caller?.userId, page.items);
      // Gallery images are public: their URLs are the CDN's, and nothing here signs or writes.
      const items = page.items.map((image) => ({
        ...imageView(image, publicImageUrls(config.CDN_BASE_URL, image)),
        ...(liked ? { likedByMe: liked(image.imageId) } : {}),
      }));
      // With a token the answer says what the caller likes: the stack makes it private.
      return ok({ items, nextCursor: cursors.encode(page.lastKey, binding) });
    }),
    bind(routes.getUser, async ({ params }) => ok(await getPublicProfile(profiles, params.userId))),
    bind(routes.listUserImages, async ({ params, query }) => {
      const binding = `user-images:${params.userId}`;
      const page = await listUserImages(profiles, params.userId, {
        limit: query.limit,
        startKey: cursors.decode(query.cursor, binding),
      });
      const items = page.items.map((image) => imageView(image, publicImageUrls(config.CDN_BASE_URL, image)));
      return ok({ items, nextCursor: cursors.encode(page.lastKey, binding) });
    }),
    // CloudFront serves the site and the public images from one origin, CDN_BASE_URL: the
    // page's absolute URLs are made from it, never from a Host header a request could forge.
    bind(routes.getLinkPreview, async ({ params }) => {
      const preview = await linkPreview({ images }, config.CDN_BASE_URL, params.imageId);
      return html(preview.status, preview.html, {
        'cache-control': preview.status === 200 ? 'public, max-age=60' : 'public, max-age=10',
      });
    }),
  ],
  { ...optionalAuthOptions(profileRepository(db, config.TABLE_NAME), config), originSecret },
);
