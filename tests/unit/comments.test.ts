import { beforeEach, describe, expect, it } from 'vitest';
import {
  addComment,
  type CommentDeps,
  type CommentRecord,
  type CommentStore,
  deleteComment,
  editComment,
  listComments,
} from '../../shared/domain/comments/comments.ts';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import { DomainError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import { fixedClock, memoryImageStore, sequentialIds } from './support/memory-ports.ts';

function memoryComments() {
  const comments = new Map<string, CommentRecord>();
  const key = (imageId: string, commentId: string) => `${imageId}/${commentId}`;
  const store: CommentStore = {
    async add(comment) {
      comments.set(key(comment.imageId, comment.commentId), comment);
    },
    async get(imageId, commentId) {
      return comments.get(key(imageId, commentId));
    },
    async updateText(comment, text, now) {
      const updated = { ...comment, text, updatedAt: now };
      comments.set(key(comment.imageId, comment.commentId), updated);
      return updated;
    },
    async remove(comment) {
      comments.delete(key(comment.imageId, comment.commentId));
    },
    async list(imageId) {
      return { items: [...comments.values()].filter((c) => c.imageId === imageId).reverse() };
    },
  };
  return { store, comments };
}

const image = (imageId: string, ownerId: string, isPublic: boolean) =>
  ({ imageId, ownerId, isPublic, status: 'READY' }) as ImageRecord;

let deps: CommentDeps;
let comments: ReturnType<typeof memoryComments>;
const owner = { userId: 'owner', displayName: 'Owner' };
const visitor = { userId: 'visitor', displayName: 'Visitor' };
const third = { userId: 'third', displayName: 'Third' };

beforeEach(async () => {
  const images = memoryImageStore();
  await images.store.putIfAbsent(image('PUBLIC', 'owner', true));
  await images.store.putIfAbsent(image('PRIVATE', 'owner', false));
  comments = memoryComments();
  deps = { comments: comments.store, images: images.store, clock: fixedClock(), newId: sequentialIds('C') };
});

async function status(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof DomainError ? httpErrorOf(error)?.status : error;
}

describe('comments', () => {
  it('lets anyone who can see an image comment on it, named as its author', async () => {
    const comment = await addComment(deps, visitor, 'PUBLIC', 'Lovely light');
    expect(comment).toMatchObject({
      imageId: 'PUBLIC',
      authorId: 'visitor',
      authorName: 'Visitor',
      text: 'Lovely light',
    });
    expect(await status(addComment(deps, visitor, 'PRIVATE', 'peek'))).toBe(404);
    expect(await status(addComment(deps, owner, 'PRIVATE', 'note to self'))).toBeUndefined();
  });

  it('lets only the author edit a comment (403 for others who can see it)', async () => {
    const comment = await addComment(deps, visitor, 'PUBLIC', 'Nice');
    expect(await status(editComment(deps, owner.userId, 'PUBLIC', comment.commentId, 'Changed'))).toBe(403);
    expect((await editComment(deps, visitor.userId, 'PUBLIC', comment.commentId, 'Very nice')).text).toBe(
      'Very nice',
    );
  });

  it('lets the author or the image owner delete a comment, and no one else', async () => {
    const first = await addComment(deps, visitor, 'PUBLIC', 'One');
    const second = await addComment(deps, visitor, 'PUBLIC', 'Two');
    expect(await status(deleteComment(deps, third.userId, 'PUBLIC', first.commentId))).toBe(403);
    await deleteComment(deps, visitor.userId, 'PUBLIC', first.commentId);
    await deleteComment(deps, owner.userId, 'PUBLIC', second.commentId);
    expect(comments.comments.size).toBe(0);
    expect(await status(deleteComment(deps, owner.userId, 'PUBLIC', first.commentId))).toBe(404);
  });

  it('hides the comments of an image the caller cannot see', async () => {
    await addComment(deps, owner, 'PRIVATE', 'secret');
    expect(await status(listComments(deps, 'visitor', 'PRIVATE', { limit: 20 }))).toBe(404);
    expect((await listComments(deps, 'owner', 'PRIVATE', { limit: 20 })).items).toHaveLength(1);
  });
});
