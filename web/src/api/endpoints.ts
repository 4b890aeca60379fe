import { type GalleryQuery, galleryApiParams } from '../lib/gallery-query.ts';
import { acceptingJob } from './live.ts';
import { call, pathOf } from './session.ts';
import type {
  AcceptedJob,
  CreateCharacterRequest,
  CreateEditRequest,
  CreateGenerationRequest,
  ImageKind,
  PatchCharacterRequest,
  UploadPurpose,
} from './types.ts';

/** What the web app does with the API, by operation of the route table (shared/http/routes.ts). */
export const accounts = {
  signUp: (body: { email: string; password: string; displayName?: string }) => call('signUp', { body }),
  confirm: (body: { email: string; code: string }) => call('confirmSignUp', { body }),
  resendCode: (email: string) => call('resendCode', { body: { email } }),
  forgotPassword: (email: string) => call('forgotPassword', { body: { email } }),
  resetPassword: (body: { email: string; code: string; newPassword: string }) =>
    call('resetPassword', { body }),
  updateProfile: (body: { displayName?: string; bio?: string }) => call('patchMe', { body }),
  setUpMfa: () => call('setUpMfa'),
  verifyMfa: (code: string) => call('verifyMfa', { body: { code } }),
  disableMfa: (code?: string) => call('disableMfa', code === undefined ? {} : { body: { code } }),
};

export const catalogue = {
  config: () => call('getConfig'),
  styles: () => call('getStyles'),
};

/** Sends a job, noting whether the live-updates socket was open to hear all of it. */
async function acceptJob(send: () => Promise<AcceptedJob>): Promise<AcceptedJob> {
  const accepted = acceptingJob();
  const job = await send();
  accepted(job.jobId);
  return job;
}

export const jobs = {
  generate: (body: CreateGenerationRequest, idempotencyKey: string) =>
    acceptJob(() => call('createGeneration', { body, headers: { 'idempotency-key': idempotencyKey } })),
  edit: (body: CreateEditRequest, idempotencyKey: string) =>
    acceptJob(() => call('createEdit', { body, headers: { 'idempotency-key': idempotencyKey } })),
  get: (jobId: string, signal?: AbortSignal) => call('getJob', { params: { jobId }, signal }),
};

/*
 * The gallery is served with a short public max-age, so the browser may answer it from
 * its cache. After this tab changes what is public (share, unshare, delete), the gallery
 * is read past the cache for as long as a cached copy could still be stale: the person
 * who just shared or unshared sees the gallery as it now is.
 */
const galleryMaxAgeMs = 60_000;
let galleryChangedAt = Number.NEGATIVE_INFINITY;
const galleryChanged = <T>(answer: T): T => {
  galleryChangedAt = Date.now();
  return answer;
};
const galleryCache = (): RequestCache | undefined =>
  Date.now() - galleryChangedAt < galleryMaxAgeMs ? 'no-cache' : undefined;

const pageOf = (cursor: string | null) => ({ cursor: cursor ?? undefined, limit: 24 });

export const images = {
  get: (imageId: string, signal?: AbortSignal) => call('getImage', { params: { imageId }, signal }),
  mine: (cursor: string | null, kind?: ImageKind) =>
    call('listImages', { query: { ...pageOf(cursor), kind } }),
  gallery: (view: GalleryQuery, cursor: string | null) =>
    call('getGallery', { query: { ...galleryApiParams(view), ...pageOf(cursor) }, cache: galleryCache() }),
  liked: (cursor: string | null) => call('listMyLikes', { query: pageOf(cursor) }),
  like: (imageId: string) => call('likeImage', { params: { imageId } }),
  unlike: (imageId: string) => call('unlikeImage', { params: { imageId } }),
  /** The original, as a file: the API answers with a short-lived address that downloads it. */
  downloadPath: (imageId: string) => pathOf('downloadImage', { params: { imageId } }),
  update: (imageId: string, body: { title?: string; isPublic?: boolean }) =>
    call('patchImage', { params: { imageId }, body }).then(galleryChanged),
  share: (imageId: string) => call('shareImage', { params: { imageId } }).then(galleryChanged),
  unshare: (imageId: string) => call('unshareImage', { params: { imageId } }).then(galleryChanged),
  remove: (imageId: string) => call('deleteImage', { params: { imageId } }).then(galleryChanged),
  describe: (imageId: string) => call('describeImage', { params: { imageId } }),
};

export const users = {
  get: (userId: string, signal?: AbortSignal) => call('getUser', { params: { userId }, signal }),
  images: (userId: string, cursor: string | null) =>
    call('listUserImages', { params: { userId }, query: pageOf(cursor) }),
};

export const comments = {
  list: (imageId: string, cursor: string | null) =>
    call('listComments', { params: { imageId }, query: { cursor: cursor ?? undefined } }),
  add: (imageId: string, text: string) => call('addComment', { params: { imageId }, body: { text } }),
  edit: (imageId: string, commentId: string, text: string) =>
    call('editComment', { params: { imageId, commentId }, body: { text } }),
  remove: (imageId: string, commentId: string) => call('deleteComment', { params: { imageId, commentId } }),
};

export const uploads = {
  ticket: (body: { contentType: string; contentLength: number; purpose: UploadPurpose }) =>
    call('createUpload', { body }),
};

export const characters = {
  options: () => call('getCharacterOptions'),
  list: (cursor: string | null) => call('listCharacters', { query: { cursor: cursor ?? undefined } }),
  stats: () => call('getCharacterStats'),
  get: (characterId: string, signal?: AbortSignal) =>
    call('getCharacter', { params: { characterId }, signal }),
  create: (body: CreateCharacterRequest) => call('createCharacter', { body }),
  update: (characterId: string, body: PatchCharacterRequest) =>
    call('patchCharacter', { params: { characterId }, body }),
  regeneratePortrait: (characterId: string) => call('createPortrait', { params: { characterId } }),
  remove: (characterId: string) => call('deleteCharacter', { params: { characterId } }),
};
