import { signal } from '@preact/signals';

/**
 * History-based routing: pages have real paths (`/images/01J…`), and both the local
 * runtime and CloudFront answer index.html for paths without a file extension.
 */
export interface Place {
  readonly path: string;
  readonly search: URLSearchParams;
}

const read = (): Place => ({
  path: window.location.pathname,
  search: new URLSearchParams(window.location.search),
});

export const place = signal<Place>(read());

/**
 * The image open in the lightbox over the page in `place`. The address bar shows the
 * image's own page (`/images/<id>`), so a reload or a copied link opens that page; the
 * lightbox itself lives only as long as this page does.
 */
export const lightbox = signal<string | undefined>(undefined);

export const imagePath = (imageId: string) => `/images/${encodeURIComponent(imageId)}`;

export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}) {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = `${url.pathname}${url.search}${url.hash}`;
  // Leaving a lightbox for another page: Back returns to the listing, not to the lightbox's address.
  const replace = options.replace || lightbox.value !== undefined;
  lightbox.value = undefined;
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  place.value = read();
  if (!url.hash && !options.keepScroll) window.scrollTo(0, 0);
}

/** Opens an image over the listing; moving to another image replaces the address, not adds one. */
export function openLightbox(imageId: string) {
  if (lightbox.value === undefined) history.pushState({ lightbox: true }, '', imagePath(imageId));
  else history.replaceState({ lightbox: true }, '', imagePath(imageId));
  lightbox.value = imageId;
}

/** Closes the lightbox; the address goes back to the listing's. */
export function closeLightbox() {
  if (lightbox.value === undefined) return;
  lightbox.value = undefined;
  history.back();
}

/** Where the person is, as the address bar says it (the image's page while a lightbox is open). */
export function currentAddress(): string {
  return `${window.location.pathname}${window.location.search}`;
}

/** Same-origin links to pages are followed without reloading; the API, images and shared links are not pages. */
export function startRouter() {
  window.addEventListener('popstate', () => {
    const next = read();
    // Back from a lightbox lands on the listing it was over: the page stays as it was.
    lightbox.value = undefined;
    if (next.path === place.value.path && next.search.toString() === place.value.search.toString()) return;
    place.value = next;
  });
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    if (anchor.origin !== window.location.origin) return;
    if (/^\/(api|img|s)\//.test(anchor.pathname)) return;
    if (anchor.pathname === window.location.pathname && anchor.hash) return;
    event.preventDefault();
    // A link that only narrows the listing in view (a filter) keeps the page where it is.
    navigate(anchor.href, { keepScroll: anchor.hasAttribute('data-keep-scroll') });
  });
}

/** `/images/:imageId` against a path: the named parts, or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = have[index]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}

/** A path back to the page the person is on, for `?next=` after logging in. */
export function here(): string {
  return `${place.value.path}${place.value.search.size ? `?${place.value.search}` : ''}`;
}
