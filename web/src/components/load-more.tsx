import { useEffect, useRef } from 'preact/hooks';
import type { Paged } from '../lib/use-paged.ts';
import { Busy } from './busy.tsx';
import { ErrorNotice } from './error-notice.tsx';

/**
 * The end of a paged list: as it comes within reach of the viewport, the next page is
 * fetched (never more than one ahead). A button does the same for keyboards and for
 * trying again after a failure.
 */
export function LoadMore<T>({ list, label }: { list: Paged<T>; label: string }) {
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasMore, loading, error, loadMore, items } = list;
  const canLoad = hasMore && !loading && !error;

  // Observing again after every page lets a short page that leaves the end in view ask for the next.
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !canLoad) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) loadMore();
      },
      { rootMargin: '0px 0px 600px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [canLoad, loadMore, items.length]);

  return (
    <div class="load-more" ref={sentinel}>
      {loading && <Busy label={`Loading ${label}…`} />}
      <ErrorNotice error={error} />
      {hasMore && !loading && (
        <button type="button" class="button secondary" onClick={loadMore}>
          {error ? 'Try again' : `Load more ${label}`}
        </button>
      )}
    </div>
  );
}
