import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, asApiError } from '../api/errors.ts';
import type { Page } from '../api/types.ts';

export interface Paged<T> {
  readonly items: readonly T[];
  readonly loading: boolean;
  readonly error: ApiError | undefined;
  /** True once the first page has arrived (or failed). */
  readonly started: boolean;
  readonly hasMore: boolean;
  readonly loadMore: () => void;
  readonly update: (change: (items: readonly T[]) => readonly T[]) => void;
}

/**
 * A cursor-paged listing loaded a page at a time, on demand. A new `key` (another search,
 * another filter) starts again from the first page, and answers for an old key are dropped.
 */
export function usePaged<T>(
  key: string,
  load: (cursor: string | null) => Promise<Page<T>>,
  first?: Page<T>,
): Paged<T> {
  const [items, setItems] = useState<readonly T[]>(first?.items ?? []);
  const [cursor, setCursor] = useState<string | null>(first ? first.nextCursor : null);
  const [done, setDone] = useState(first ? first.nextCursor === null : false);
  const [loading, setLoading] = useState(false);
  const [started, setStarted] = useState(!!first);
  const [error, setError] = useState<ApiError>();
  const generation = useRef(0);
  const busy = useRef(false);
  const latestLoad = useRef(load);
  latestLoad.current = load;

  const fetchPage = useCallback(async (from: string | null, run: number) => {
    busy.current = true;
    setLoading(true);
    setError(undefined);
    try {
      const page = await latestLoad.current(from);
      if (run !== generation.current) return;
      setItems((previous) => (from === null ? page.items : [...previous, ...page.items]));
      setCursor(page.nextCursor);
      setDone(page.nextCursor === null);
    } catch (failure) {
      if (run === generation.current) setError(asApiError(failure));
    } finally {
      if (run === generation.current) {
        busy.current = false;
        setLoading(false);
        setStarted(true);
      }
    }
  }, []);

  useEffect(() => {
    generation.current += 1;
    busy.current = false;
    if (first) return;
    setItems([]);
    setCursor(null);
    setDone(false);
    setStarted(false);
    fetchPage(null, generation.current);
  }, [key]);

  const loadMore = useCallback(() => {
    if (busy.current || done) return;
    fetchPage(started ? cursor : null, generation.current);
  }, [cursor, done, started, fetchPage]);

  const update = useCallback((change: (items: readonly T[]) => readonly T[]) => setItems(change), []);

  return { items, loading, error, started, hasMore: !done, loadMore, update };
}
