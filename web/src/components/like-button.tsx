import { useState } from 'preact/hooks';
import { images } from '../api/endpoints.ts';
import { type ApiError, asApiError } from '../api/errors.ts';
import { session } from '../api/session.ts';
import type { Image } from '../api/types.ts';
import { type LikeState, toggled } from '../lib/likes.ts';
import { currentAddress, navigate } from '../router.ts';
import { ErrorNotice } from './error-notice.tsx';

/**
 * Likes or unlikes at once on the page, then asks the API: its answer (the true count, with
 * everyone else's likes) replaces the guess, and a failure puts back what was there.
 */
async function toggleLike(
  imageId: string,
  before: LikeState,
  show: (state: LikeState) => void,
): Promise<ApiError | undefined> {
  const guess = toggled(before);
  show(guess);
  try {
    const answer = guess.likedByMe ? await images.like(imageId) : await images.unlike(imageId);
    show({ likedByMe: answer.liked, likeCount: answer.likeCount });
    return undefined;
  } catch (failure) {
    show(before);
    return asApiError(failure);
  }
}

interface LikeButtonProps {
  readonly image: Pick<Image, 'imageId' | 'likeCount' | 'likedByMe'>;
  readonly onChange: (state: LikeState) => void;
  readonly small?: boolean;
}

/**
 * A heart with the count: pressed when I like the image. Someone logged out is sent to log
 * in and brought back to where they were.
 */
export function LikeButton({ image, onChange, small }: LikeButtonProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const liked = image.likedByMe === true;
  const count = image.likeCount ?? 0;
  return (
    <div class="like">
      <button
        type="button"
        class={`like-button${small ? ' small' : ''}`}
        aria-pressed={liked ? 'true' : 'false'}
        disabled={pending}
        title={liked ? 'You like this image' : 'Like this image'}
        onClick={async () => {
          if (session.value.status !== 'signed-in') {
            navigate(`/login?next=${encodeURIComponent(currentAddress())}`);
            return;
          }
          setPending(true);
          setError(undefined);
          const failure = await toggleLike(image.imageId, { likeCount: count, likedByMe: liked }, onChange);
          setPending(false);
          setError(failure);
        }}
      >
        <span class="heart" aria-hidden="true">
          {liked ? '♥' : '♡'}
        </span>
        <span class="like-label">Like</span>
        <span class="like-count">{count}</span>
      </button>
      <ErrorNotice error={error} />
    </div>
  );
}
