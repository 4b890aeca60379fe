import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from '../api/errors.ts';
import { plainMessage } from '../api/errors.ts';
import { here } from '../router.ts';

interface ErrorNoticeProps {
  readonly error: ApiError | undefined;
  readonly id?: string;
  /**
   * The answer to something the person just did (a form sent): the notice is scrolled to
   * and focused, unless a field it names takes the focus itself.
   */
  readonly takeFocus?: boolean;
}

/** An API error in plain words, announced to screen readers, with the request id for a report. */
export function ErrorNotice({ error, id, takeFocus }: ErrorNoticeProps) {
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = notice.current;
    if (!takeFocus || !error || !element || error.details.some((detail) => detail.field)) return;
    element.scrollIntoView({ block: 'center' });
    element.focus({ preventScroll: true });
  }, [error, takeFocus]);
  if (!error) return null;
  return (
    <div class="notice notice-error" role="alert" id={id} ref={notice} tabIndex={-1}>
      <p>{plainMessage(error)}</p>
      {error.code === 'UNAUTHENTICATED' && (
        <p>
          <a href={`/login?next=${encodeURIComponent(here())}`}>Log in</a>
        </p>
      )}
      {error.requestId && <p class="request-id">Request id {error.requestId}</p>}
    </div>
  );
}
