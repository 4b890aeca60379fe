import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { imageCatalog } from '../shared/adapters/image-catalog.ts';
import { likeRepository } from '../shared/adapters/like-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { searchIndexRepository } from '../shared/adapters/search-index-repository.ts';
import { loadCursorCodec, loadOriginSecret } from '../shared/adapters/secrets.ts';
import { loadConfig } from '../shared/config.ts';
import { systemClock } from '../shared/domain/accounts/ports.ts';
import { imageView } from '../shared/domain/images/image.ts';
import { publicImageUrls } from '../shared/domain/images/image-queries.ts';
import { browseGallery } from '../shared/domain/images/sharing.ts';
import { likedByViewer } from '../shared/domain/likes/likes.ts';
import { searchWords } from '../shared/domain/search/words.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes.ts';

const config = loadConfig(functionConfig['api-gallery']);
// Both keys at once: a cold start waits for the slower, not for the two in turn.
const [originSecret, cursors] = await Promise.all([loadOriginSecret(config), loadCursorCodec(config)]);
const db = dynamoDocumentClient();
const deps = {
  catalog: imageCatalog(db, config.TABLE_NAME),
  index: searchIndexRepository(db, config.TABLE_NAME),
  clock: systemClock,
};
const likes = likeRepository(db, config.TABLE_NAME);

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
      return ok(
        { items, nextCursor: cursors.encode(page.lastKey, binding) },
        // An answer that says what the caller likes is theirs alone.
        { 'cache-control': caller ? 'private, no-store' : 'public, max-age=10' },
      );
    }),
  ],
  { ...authOptions(profileRepository(db, config.TABLE_NAME), config), originSecret },
);
