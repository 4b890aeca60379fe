import { loadOriginSecretAndCursors } from '../shared/composition/secrets.ts';
import {
  catalog,
  imageRecords,
  likes,
  profiles,
  publicProfiles,
  searchIndex,
} from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { galleryPage, userImagesPage } from '../shared/domain/images/image-listings.ts';
import { linkPreview } from '../shared/domain/images/link-preview.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { getPublicProfile } from '../shared/domain/profiles/profiles.ts';
import { functionConfig } from '../shared/function-config.ts';
import { optionalAuthOptions } from '../shared/http/optional-auth-options.ts';
import { html, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-gallery.ts';

const config = loadConfig(functionConfig['api-gallery']);
const [originSecret, cursors] = await loadOriginSecretAndCursors(config);
const cdnBaseUrl = config.CDN_BASE_URL;
const gallery = {
  catalog: catalog(config),
  index: searchIndex(config),
  clock: systemClock,
  likes: likes(config),
  cdnBaseUrl,
  cursors,
};
const people = { profiles: publicProfiles(config), catalog: gallery.catalog, cdnBaseUrl, cursors };

export const handler = httpRouter(
  [
    // With a token the answer says what the caller likes: the stack makes it private.
    bind(routes.getGallery, async ({ caller, query }) => {
      const { q, sort, period, style } = query;
      return ok(await galleryPage(gallery, caller?.userId, { q, sort, period, style }, query));
    }),
    bind(routes.getUser, async ({ params }) => ok(await getPublicProfile(people, params.userId))),
    bind(routes.listUserImages, async ({ params, query }) =>
      ok(await userImagesPage(people, params.userId, query)),
    ),
    // CloudFront serves the site and the public images from one origin, CDN_BASE_URL: the
    // page's absolute URLs are made from it, never from a Host header a request could forge.
    bind(routes.getLinkPreview, async ({ params }) => {
      const preview = await linkPreview({ images: imageRecords(config) }, cdnBaseUrl, params.imageId);
      return html(preview.status, preview.html, {
        'cache-control': preview.status === 200 ? 'public, max-age=60' : 'public, max-age=10',
      });
    }),
  ],
  { ...optionalAuthOptions(profiles(config), config), originSecret },
);
