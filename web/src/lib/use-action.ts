import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, asApiError, fieldMessages } from '../api/errors.ts';

/**
 * Runs one piece of work at a time for a form or a button: `pending` while it runs, the
 * failure as an ApiError (with its per-field messages) when it fails. Nothing is dropped:
 * every failure ends up in `error`, which the caller shows.
 */
export function useAction<A extends unknown[], R>(work: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const mounted = useRef(true);
  const latest = useRef(work);
  latest.current = work;
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setPending(true);
    setError(undefined);
    try {
      return await latest.current(...args);
    } catch (failure) {
      if (mounted.current) setError(asApiError(failure));
      return undefined;
    } finally {
      if (mounted.current) setPending(false);
    }
  }, []);
  return { run, pending, error, fields: fieldMessages(error), setError };
}

/** The text of a named form control, trimmed. */
export function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}
