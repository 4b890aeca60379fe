export interface LikeState {
  readonly likeCount: number;
  readonly likedByMe: boolean;
}

/** The state a like or unlike is expected to leave, shown before the API answers. */
export function toggled(state: LikeState): LikeState {
  const likedByMe = !state.likedByMe;
  return { likedByMe, likeCount: Math.max(0, state.likeCount + (likedByMe ? 1 : -1)) };
}
