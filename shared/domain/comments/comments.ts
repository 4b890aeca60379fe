import { ForbiddenError, NotFoundError } from '../../errors.ts';
import { getVisibleImage } from '../images/image-queries.ts';
import * as listings from '../listings.ts';
import { type Paged, type PageQuery, paged } from '../paging.ts';
import type { Clock, CursorCodec, IdGenerator, ImageStore, Page, PageKey } from '../ports.ts';

export interface CommentRecord {
  readonly commentId: string;
  readonly imageId: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly text: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CommentStore {
  /** Writes the comment and adds one to the image's `commentCount`, together; NotFoundError if the image is gone. */
  add(comment: CommentRecord): Promise<void>;
  get(imageId: string, commentId: string): Promise<CommentRecord | undefined>;
  updateText(comment: CommentRecord, text: string, now: string): Promise<CommentRecord>;
  /** Removes the comment and takes one from the image's `commentCount`, together. */
  remove(comment: CommentRecord): Promise<void>;
  /** Newest first. */
  list(imageId: string, options: { limit: number; startKey?: PageKey }): Promise<Page<CommentRecord>>;
}

export interface CommentDeps {
  readonly comments: CommentStore;
  readonly images: Pick<ImageStore, 'get'>;
  readonly clock: Clock;
  readonly newId: IdGenerator;
}

export interface Commenter {
  readonly userId: string;
  readonly displayName: string;
}

/** Anyone who can see the image may comment on it. */
export async function addComment(deps: CommentDeps, author: Commenter, imageId: string, text: string) {
  await getVisibleImage(deps.images, author.userId, imageId);
  const now = deps.clock.now().toISOString();
  const comment: CommentRecord = {
    commentId: deps.newId(),
    imageId,
    authorId: author.userId,
    authorName: author.displayName,
    text,
    createdAt: now,
    updatedAt: now,
  };
  await deps.comments.add(comment);
  return comment;
}

async function findComment(deps: CommentDeps, imageId: string, commentId: string) {
  const comment = await deps.comments.get(imageId, commentId);
  if (!comment) throw new NotFoundError('No such comment.');
  return comment;
}

/** Only the author changes a comment. */
export async function editComment(
  deps: CommentDeps,
  userId: string,
  imageId: string,
  commentId: string,
  text: string,
) {
  await getVisibleImage(deps.images, userId, imageId);
  const comment = await findComment(deps, imageId, commentId);
  if (comment.authorId !== userId) throw new ForbiddenError('Only the author can change a comment.');
  return deps.comments.updateText(comment, text, deps.clock.now().toISOString());
}

/** The author, or the image's owner, removes a comment. */
export async function deleteComment(deps: CommentDeps, userId: string, imageId: string, commentId: string) {
  const image = await getVisibleImage(deps.images, userId, imageId);
  const comment = await findComment(deps, imageId, commentId);
  if (comment.authorId !== userId && image.ownerId !== userId) {
    throw new ForbiddenError('Only the author or the image’s owner can remove a comment.');
  }
  await deps.comments.remove(comment);
}

export async function listComments(
  deps: Pick<CommentDeps, 'comments' | 'images'>,
  viewerId: string | undefined,
  imageId: string,
  options: { limit: number; startKey?: PageKey },
) {
  await getVisibleImage(deps.images, viewerId, imageId);
  return deps.comments.list(imageId, options);
}

/** A page of an image's comments, newest first, for whoever may see the image. */
export async function commentsPage(
  deps: Pick<CommentDeps, 'comments' | 'images'> & { readonly cursors: CursorCodec },
  viewerId: string | undefined,
  imageId: string,
  page: PageQuery,
): Promise<Paged<CommentRecord>> {
  return paged(listings.comments(imageId), deps.cursors, page, (options) =>
    listComments(deps, viewerId, imageId, options),
  );
}
