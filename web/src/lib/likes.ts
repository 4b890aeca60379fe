import { images } from '../api/endpoints.ts';
import { type ApiError, asApiError } from '../api/errors.ts';

export interface LikeState {
  readonly likeCount: number;
  readonly likedByMe: boolean;
}

/** The state a like or unlike is expected to leave, shown before the API answers. */
export function toggled(state: LikeState): LikeState {
  const likedByMe = !state.likedByMe;
  return { likedByMe, likeCount: Math.max(0, state.likeCount + (likedByMe ? 1 : -1)) };
}

/**
 * Likes or unlikes at once on the page, then asks the API: its answer (the true count, with
 * everyone else's likes) replaces the guess, and a failure puts back what was there.
 */
export async function toggleLike(
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
