import { images } from '../api/endpoints.ts';
import { session } from '../api/session.ts';
import { GalleryFilters } from '../components/gallery-filters.tsx';
import { ImageGrid } from '../components/image-grid.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { styles } from '../lib/catalogue.ts';
import { type GalleryPeriod, galleryHref, galleryKey, readGalleryQuery } from '../lib/gallery-query.ts';
import { usePaged } from '../lib/use-paged.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

const likedDuring: Record<GalleryPeriod, string> = {
  day: 'liked today',
  week: 'liked this week',
  all: 'liked',
};

/** The public gallery: newest or most liked, one style or all, searchable, a page at a time as you scroll. */
export function GalleryPage() {
  useTitle('');
  const view = readGalleryQuery(place.value.search);
  const { q } = view;
  const list = usePaged(`gallery:${galleryKey(view)}`, (cursor) => images.gallery(view, cursor));
  const signedOut = session.value.status === 'signed-out';
  const styleName =
    view.style && (styles.value?.find((style) => style.id === view.style)?.name ?? view.style);
  const narrowed = [
    styleName && `in the ${styleName} style`,
    view.sort === 'popular' && likedDuring[view.period],
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <>
      {signedOut && (
        <section class="hero" aria-labelledby="hero-heading">
          <h1 id="hero-heading">Make images with words</h1>
          <p>
            Easel turns a prompt into pictures in the style you pick, describes your photos, edits images with
            a brush and a sentence, and keeps your characters with their portraits.
          </p>
          <p class="actions">
            <a class="button primary" href="/signup">
              Sign up
            </a>
            <a class="button secondary" href="/login">
              Log in
            </a>
          </p>
        </section>
      )}
      <section aria-labelledby="gallery-heading">
        {signedOut ? (
          <h2 id="gallery-heading">Public gallery</h2>
        ) : (
          <h1 id="gallery-heading">Public gallery</h1>
        )}
        <search>
          <form
            class="search-form"
            onSubmit={(event) => {
              event.preventDefault();
              const text = String(new FormData(event.currentTarget).get('q') ?? '').trim();
              navigate(galleryHref({ ...view, q: text }));
            }}
          >
            <label for="gallery-search">Search the gallery</label>
            <div class="search-row">
              <input id="gallery-search" type="search" name="q" defaultValue={q} key={q} maxLength={200} />
              <button type="submit" class="button secondary">
                Search
              </button>
            </div>
          </form>
        </search>
        <GalleryFilters view={view} />
        {q && list.started && !list.error && (
          <p role="status">
            {list.items.length === 0
              ? `No shared image matches “${q}”${narrowed ? ` ${narrowed}` : ''}.`
              : `Images matching “${q}”${list.hasMore ? '' : `: ${list.items.length}`}.`}
          </p>
        )}
        {!q && list.started && !list.error && list.items.length === 0 && (
          <p class="empty">
            {narrowed ? `No shared image ${narrowed} yet.` : 'Nobody has shared an image yet.'}
          </p>
        )}
        <ImageGrid images={list.items} more={list} />
        <LoadMore list={list} label="images" />
      </section>
    </>
  );
}
