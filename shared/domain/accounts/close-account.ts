import { UnauthenticatedError } from '../../errors.ts';
import type { JobStatus } from '../generation/jobs.ts';
import { type DeleteImageDeps, removeImage } from '../images/delete-image.ts';
import type { CharacterStore, Clock, ObjectStorage } from '../ports.ts';
import type { ProfileStore, UserDirectory } from './ports.ts';

/**
 * Tokens issued before this second (9999-12-31T23:59:59Z) are refused: every token an
 * account being deleted holds, or will be given before Cognito forgets it.
 */
export const closedAccountRevokedBefore = 253_402_300_799;

/** How long the closed profile keeps refusing tokens: longer than any token lives (an hour). */
export const closedProfileSeconds = 24 * 60 * 60;

/** What a queued account deletion names: the user, and their Cognito user name. */
export interface AccountDeletion {
  readonly type: 'deleteAccount';
  readonly userId: string;
  readonly username: string;
}

export interface AccountDeletionQueue {
  send(deletion: AccountDeletion, correlationId: string): Promise<void>;
}

/**
 * `DELETE /api/me`: the deletion is queued first (so that it happens whatever fails after),
 * then every token of the user is refused from now on and Cognito revokes their refresh
 * tokens. The worker does the rest, and finishes it even if a step fails on the way.
 */
export async function requestAccountDeletion(
  deps: {
    readonly queue: AccountDeletionQueue;
    readonly profiles: Pick<ProfileStore, 'revokeSessions'>;
    readonly directory: Pick<UserDirectory, 'signOutEverywhere'>;
  },
  user: { readonly userId: string; readonly username: string; readonly accessToken: string },
  correlationId: string,
) {
  await deps.queue.send(
    { type: 'deleteAccount', userId: user.userId, username: user.username },
    correlationId,
  );
  await deps.profiles.revokeSessions(user.userId, closedAccountRevokedBefore);
  try {
    await deps.directory.signOutEverywhere(user.accessToken);
  } catch (error) {
    // Revoked already by an earlier try; the worker disables the user anyway.
    if (!(error instanceof UnauthenticatedError)) throw error;
  }
}

/** Cognito's administrative side, for the account deletion worker alone. */
export interface AccountDirectoryAdmin {
  /** Disables the user (no more logins) and revokes their refresh tokens; a user already gone is no error. */
  disable(username: string): Promise<void>;
  /** Deletes the user; the e-mail can sign up again. A user already gone is no error. */
  remove(username: string): Promise<void>;
}

export interface OwnedJob {
  readonly jobId: string;
  readonly status: JobStatus;
  /** An edit's inputs, stored under the job. */
  readonly inputKeys: readonly string[];
}

/** The items of an account that the rest of the system does not remove on its own. */
export interface AccountItems {
  /**
   * Images of the user to remove next, at most `limit`: those an interrupted run had
   * started on, else the next of the user's listing, each noted (in the user's partition)
   * before it is touched, since an image being deleted leaves the listings.
   */
  imagesToRemove(userId: string, limit: number): Promise<string[]>;
  /** The note that the image is being removed, once it is gone. */
  imageRemoved(userId: string, imageId: string): Promise<void>;
  /** The user's comments on images, found by their entries in the user's partition. */
  authoredComments(userId: string, limit: number): Promise<{ imageId: string; commentId: string }[]>;
  /** Removes the comment (taking one from its image's `commentCount`) and its entry. */
  removeAuthoredComment(userId: string, imageId: string, commentId: string): Promise<void>;
  /** The images the user likes. */
  likedImages(userId: string, limit: number): Promise<string[]>;
  /** Removes the like, taking one from the image's `likeCount` in the same transaction. */
  removeLike(userId: string, imageId: string): Promise<void>;
  /** The user's jobs, or only those of one status. */
  jobs(userId: string, limit: number, status?: JobStatus): Promise<OwnedJob[]>;
  /** Removes the job (and takes it from the deployment's count of its status). */
  removeJob(job: OwnedJob): Promise<void>;
  /** Every item left in the user's partition but the profile: counters, usage, rates, tickets. */
  sweep(userId: string): Promise<void>;
  /**
   * The profile becomes a closed one: nothing but the time before which tokens are refused,
   * expiring after `expiresAt` (epoch seconds). The deployment's user count goes down once.
   */
  closeProfile(userId: string, revokedBefore: number, expiresAt: number): Promise<void>;
}

export interface CloseAccountDeps extends DeleteImageDeps {
  readonly accounts: AccountItems;
  readonly profiles: Pick<ProfileStore, 'revokeSessions'>;
  readonly characters: CharacterStore;
  readonly directory: AccountDirectoryAdmin;
  readonly storage: ObjectStorage;
  readonly clock: Clock;
}

const page = 25;

/** The deletion cannot go on yet (work of the account is running): the message is tried again later. */
export class AccountDeletionWaiting extends Error {
  override readonly name = 'AccountDeletionWaiting';
}

/** Index listings lag their table by a moment: a page seen again is read again after a pause, a few times. */
const staleReadsAllowed = 5;
const staleReadPauseMs = 1000;

/**
 * Works through a listing until it is empty. A page whose items keep coming back means a
 * step cannot finish: it throws, so the message is tried again later.
 */
async function drain<T>(
  what: string,
  next: () => Promise<T[]>,
  remove: (item: T) => Promise<void>,
  idOf: (item: T) => string,
) {
  let previous = '';
  let stale = 0;
  for (;;) {
    const items = await next();
    if (items.length === 0) return;
    const ids = items.map(idOf).join(',');
    if (ids === previous) {
      if (++stale > staleReadsAllowed) throw new Error(`${what}: ${ids} could not be removed`);
      await new Promise((resolve) => setTimeout(resolve, staleReadPauseMs));
    }
    previous = ids;
    for (const item of items) await remove(item);
  }
}

/**
 * Deletes an account and everything it owns. Every step can be repeated, so a delivery
 * that fails half-way is finished by the next:
 *
 * 1. no session works any more (every token refused; Cognito disables the user);
 * 2. its jobs (and an edit's inputs), first, so that queued work finds nothing to do; while a
 *    job is running, it throws: the message comes back later, when the job has ended;
 * 3. its images: objects, public copies and their CDN paths, search entries, the comments
 *    and likes on them;
 * 4. its comments on others' images, each image's `commentCount` taken down with it;
 * 5. its likes, each image's `likeCount` taken down with it;
 * 6. its characters (their portraits went with its images);
 * 7. what is left in its partition (usage, rates, counters), then the profile, closed;
 * 8. the Cognito user, last: the e-mail can then sign up again.
 */
export async function closeAccount(deps: CloseAccountDeps, deletion: AccountDeletion) {
  const { userId } = deletion;
  await deps.profiles.revokeSessions(userId, closedAccountRevokedBefore);
  await deps.directory.disable(deletion.username);

  // Queued work goes first: its worker then finds nothing to do. Work already running would
  // store images after they were deleted, so the deletion waits (is retried) until it is over.
  await drain(
    'queued jobs',
    () => deps.accounts.jobs(userId, page, 'QUEUED'),
    (job) => deps.accounts.removeJob(job),
    (job) => `${job.jobId}:${job.status}`,
  );
  if ((await deps.accounts.jobs(userId, 1, 'RUNNING')).length) {
    throw new AccountDeletionWaiting('the account has jobs running; its deletion goes on once they end');
  }
  await drain(
    'jobs',
    () => deps.accounts.jobs(userId, page),
    async (job) => {
      if (job.inputKeys.length) await deps.storage.delete([...job.inputKeys]);
      await deps.accounts.removeJob(job);
    },
    (job) => `${job.jobId}:${job.status}`,
  );
  await drain(
    'images',
    () => deps.accounts.imagesToRemove(userId, page),
    async (imageId) => {
      await removeImage(deps, imageId);
      await deps.accounts.imageRemoved(userId, imageId);
    },
    (imageId) => imageId,
  );
  await drain(
    'comments',
    () => deps.accounts.authoredComments(userId, page),
    (comment) => deps.accounts.removeAuthoredComment(userId, comment.imageId, comment.commentId),
    (comment) => comment.commentId,
  );
  await drain(
    'likes',
    () => deps.accounts.likedImages(userId, page),
    (imageId) => deps.accounts.removeLike(userId, imageId),
    (imageId) => imageId,
  );
  await drain(
    'characters',
    async () => (await deps.characters.listByOwner(userId, { limit: page })).items,
    async ({ characterId }) => {
      // Read again: a listing may still name a character removed a moment ago.
      const character = await deps.characters.get(characterId);
      if (!character) return;
      if (character.portraitImageId) await removeImage(deps, character.portraitImageId);
      await deps.characters.delete(character);
    },
    (character) => character.characterId,
  );
  await deps.accounts.sweep(userId);
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  await deps.accounts.closeProfile(userId, closedAccountRevokedBefore, now + closedProfileSeconds);
  await deps.directory.remove(deletion.username);
}
