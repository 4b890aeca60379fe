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

export function navigate(to: string, options: { replace?: boolean } = {}) {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = `${url.pathname}${url.search}${url.hash}`;
  if (options.replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  place.value = read();
  if (!url.hash) window.scrollTo(0, 0);
}

/** Same-origin links to pages are followed without reloading; the API, images and shared links are not pages. */
export function startRouter() {
  window.addEventListener('popstate', () => {
    place.value = read();
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
    navigate(anchor.href);
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
