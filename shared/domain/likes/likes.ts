import { ConflictError } from '../../errors.ts';
import type { ImageRecord } from '../images/image.ts';
import { getVisibleImage } from '../images/image-queries.ts';
import type { Clock, IdGenerator, ImageStore, Page, PageKey } from '../ports.ts';

/**
 * What a like or unlike did: `changed` when it made or removed the like, `unchanged` when
 * the like already was as asked, `stale` when the image changed (sharing, deletion) after
 * it was read, so nothing was written and it must be read again.
 */
export type LikeWrite =
  | { readonly outcome: 'changed' | 'unchanged'; readonly likeCount: number }
  | { readonly outcome: 'stale' };

/** Likes in the table: each like and the image's count move in one transaction. */
export interface LikeStore {
  /** Adds the user's like of the image as it was read (`likeId` orders the user's likes). */
  like(image: ImageRecord, userId: string, likeId: string, now: string): Promise<LikeWrite>;
  unlike(image: ImageRecord, userId: string): Promise<LikeWrite>;
  /** Which of these images the user likes: one batch read, whatever the page. */
  likedAmong(userId: string, imageIds: readonly string[]): Promise<Set<string>>;
  /** The ids of the images the user liked, newest like first. */
  listLiked(userId: string, options: { limit: number; startKey?: PageKey }): Promise<Page<string>>;
}

export interface LikeDeps {
  readonly images: Pick<ImageStore, 'get'>;
  readonly likes: LikeStore;
  readonly clock: Clock;
  readonly newId: IdGenerator;
}

/** A like races at most this many changes of the image (a share, an unshare) before it gives up. */
const attempts = 4;

/**
 * Likes or unlikes an image the user can see (their own, or a shared one). Asking twice
 * changes nothing: the answer says where the like stands and the image's count.
 */
export async function setLike(
  deps: LikeDeps,
  userId: string,
  imageId: string,
  liked: boolean,
): Promise<{ imageId: string; liked: boolean; likeCount: number }> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const image = await getVisibleImage(deps.images, userId, imageId);
    const result = liked
      ? await deps.likes.like(image, userId, deps.newId(), deps.clock.now().toISOString())
      : await deps.likes.unlike(image, userId);
    if (result.outcome !== 'stale') return { imageId, liked, likeCount: result.likeCount };
  }
  throw new ConflictError('The image kept changing while it was being liked; try again.');
}

/** `likedByMe` for a page of images, when someone is asking; nothing for an anonymous caller. */
export async function likedByViewer(
  likes: Pick<LikeStore, 'likedAmong'>,
  viewerId: string | undefined,
  images: readonly Pick<ImageRecord, 'imageId'>[],
): Promise<((imageId: string) => boolean) | undefined> {
  if (!viewerId) return undefined;
  const liked = images.length
    ? await likes.likedAmong(
        viewerId,
        images.map((image) => image.imageId),
      )
    : new Set();
  return (imageId) => liked.has(imageId);
}

/**
 * The images the user liked that they can still see, newest like first. A like outlives
 * the image's sharing (it counts again if the image is shared again), so an image made
 * private since is left out of the page.
 */
export async function listMyLikes(
  deps: { likes: LikeStore; catalog: { getMany(ids: readonly string[]): Promise<ImageRecord[]> } },
  userId: string,
  options: { limit: number; startKey?: PageKey },
): Promise<Page<ImageRecord>> {
  const page = await deps.likes.listLiked(userId, options);
  const images = page.items.length ? await deps.catalog.getMany(page.items) : [];
  return {
    items: images.filter(
      (image) => image.status !== 'DELETING' && (image.isPublic || image.ownerId === userId),
    ),
    ...(page.lastKey ? { lastKey: page.lastKey } : {}),
  };
}
