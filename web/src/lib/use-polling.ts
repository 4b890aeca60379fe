import { useEffect, useState } from 'preact/hooks';
import { type ApiError, asApiError } from '../api/errors.ts';

const firstDelayMs = 600;
const maxDelayMs = 5_000;

/**
 * Fetches a thing again and again until `done` says it has settled (a job SUCCEEDED or
 * FAILED, an image READY), backing off gently. A failed fetch is shown and retried, except
 * for answers that will not change (401, 403, 404), which stop the polling.
 */
export function usePolling<T>(
  key: string | undefined,
  load: (key: string, signal: AbortSignal) => Promise<T>,
  done: (value: T) => boolean,
  /** Keep showing the last value while a new key loads (polling the same thing again). */
  keepValue = false,
) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    if (!keepValue) setValue(undefined);
    setError(undefined);
    if (!key) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = firstDelayMs;
    const poll = async () => {
      try {
        const next = await load(key, controller.signal);
        if (controller.signal.aborted) return;
        setValue(next);
        setError(undefined);
        if (done(next)) return;
      } catch (failure) {
        if (controller.signal.aborted) return;
        const problem = asApiError(failure);
        setError(problem);
        if ([401, 403, 404].includes(problem.status)) return;
      }
      delay = Math.min(maxDelayMs, delay * 1.4);
      timer = setTimeout(poll, delay);
    };
    poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // `load` and `done` are fixed per call site: the key alone decides what is polled.
  }, [key]);
  return { value, error, setValue };
}
