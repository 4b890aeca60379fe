import type { ApiError } from '../api/errors.ts';
import { plainMessage } from '../api/errors.ts';
import { here } from '../router.ts';

/** An API error in plain words, announced to screen readers, with the request id for a report. */
export function ErrorNotice({ error, id }: { error: ApiError | undefined; id?: string }) {
  if (!error) return null;
  return (
    <div class="notice notice-error" role="alert" id={id}>
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
