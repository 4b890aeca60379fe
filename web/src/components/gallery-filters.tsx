import { useEffect } from 'preact/hooks';
import { loadCatalogue, styles } from '../lib/catalogue.ts';
import { type GalleryQuery, galleryHref, periods } from '../lib/gallery-query.ts';
import { navigate } from '../router.ts';

/**
 * Newest or most liked (over a period), and one style at a time: links that change the
 * address, so each view can be shared, reloaded and gone back to.
 */
export function GalleryFilters({ view }: { view: GalleryQuery }) {
  useEffect(() => {
    loadCatalogue();
  }, []);
  const go = (change: Partial<GalleryQuery>) =>
    navigate(galleryHref({ ...view, ...change }), { keepScroll: true });
  const styleList = styles.value ?? [];
  return (
    <div class="gallery-filters">
      {view.q ? (
        <p class="hint">Search results come newest first.</p>
      ) : (
        <div class="filter-row">
          <fieldset class="segmented">
            <legend class="visually-hidden">Order</legend>
            {(
              [
                ['newest', 'Newest'],
                ['popular', 'Popular'],
              ] as const
            ).map(([sort, label]) => (
              <label key={sort}>
                <input
                  type="radio"
                  name="sort"
                  value={sort}
                  checked={view.sort === sort}
                  onChange={() => go({ sort })}
                />
                <span>{label}</span>
              </label>
            ))}
          </fieldset>
          {view.sort === 'popular' && (
            <fieldset class="segmented">
              <legend class="visually-hidden">Liked during</legend>
              {periods.map((period) => (
                <label key={period.value}>
                  <input
                    type="radio"
                    name="period"
                    value={period.value}
                    checked={view.period === period.value}
                    onChange={() => go({ period: period.value })}
                  />
                  <span>{period.label}</span>
                </label>
              ))}
            </fieldset>
          )}
        </div>
      )}
      {styleList.length > 0 && (
        <nav class="style-chips" aria-label="Styles">
          <ul class="chip-list">
            <li>
              <a
                data-keep-scroll
                class="chip"
                href={galleryHref({ ...view, style: '' })}
                aria-current={view.style ? undefined : 'page'}
              >
                All styles
              </a>
            </li>
            {styleList.map((style) => (
              <li key={style.id}>
                <a
                  data-keep-scroll
                  class="chip"
                  href={galleryHref({ ...view, style: style.id })}
                  aria-current={view.style === style.id ? 'page' : undefined}
                >
                  {style.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </div>
  );
}
