import { useEffect, useState } from 'preact/hooks';
import { images, users } from '../api/endpoints.ts';
import { type ApiError, asApiError } from '../api/errors.ts';
import { profile as me } from '../api/session.ts';
import type { PublicProfile } from '../api/types.ts';
import { Busy } from '../components/busy.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { ImageGrid } from '../components/image-grid.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { usePaged } from '../lib/use-paged.ts';
import { useTitle } from '../lib/use-title.ts';

const joined = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

function joinedOn(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : joined.format(date);
}

/** A person's public page: who they are and the images they have shared. */
export function ProfilePage({ userId }: { userId: string }) {
  const [person, setPerson] = useState<PublicProfile>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    const controller = new AbortController();
    setPerson(undefined);
    setError(undefined);
    users
      .get(userId, controller.signal)
      .then(setPerson)
      .catch((failure) => {
        if (!controller.signal.aborted) setError(asApiError(failure));
      });
    return () => controller.abort();
  }, [userId]);
  const list = usePaged(`user:${userId}`, (cursor) => users.images(userId, cursor));
  useTitle(person?.displayName ?? 'Profile');
  if (!person) {
    return (
      <section>
        <h1>Profile</h1>
        {error ? <ErrorNotice error={error} /> : <Busy label="Loading the profile…" />}
      </section>
    );
  }
  const count = person.publicImageCount;
  return (
    <section aria-labelledby="profile-heading">
      <header class="profile-header">
        <span class="avatar" aria-hidden="true">
          {[...person.displayName.trim()][0]?.toUpperCase() ?? '?'}
        </span>
        <div>
          <h1 id="profile-heading">{person.displayName}</h1>
          <p class="meta">
            {count === 1 ? '1 public image' : `${count.toLocaleString()} public images`} · joined{' '}
            <time dateTime={person.joinedAt}>{joinedOn(person.joinedAt)}</time>
          </p>
          {person.bio && <p class="bio">{person.bio}</p>}
          {me.value?.userId === person.userId && (
            <p>
              <a href="/account">Change your name or bio</a>
            </p>
          )}
        </div>
      </header>
      {list.started && !list.error && list.items.length === 0 && (
        <p class="empty">{person.displayName} has not shared an image yet.</p>
      )}
      <ImageGrid images={list.items} showOwner={false} more={list} />
      <LoadMore list={list} label="images" />
    </section>
  );
}

/** The images I liked, the latest like first. */
export function LikedPage() {
  useTitle('Liked');
  const list = usePaged('liked', (cursor) => images.liked(cursor));
  return (
    <section>
      <h1>Liked</h1>
      {list.started && !list.error && list.items.length === 0 && (
        <p class="empty">
          Nothing yet. Press <span aria-hidden="true">♡</span> Like on an image in the <a href="/">gallery</a>{' '}
          to keep it here.
        </p>
      )}
      <ImageGrid images={list.items} more={list} />
      <LoadMore list={list} label="images" />
    </section>
  );
}
