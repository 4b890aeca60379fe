import { type GalleryQuery, galleryApiParams } from '../lib/gallery-query.ts';
import { query } from './http.ts';
import { acceptingJob } from './live.ts';
import { api } from './session.ts';
import type {
  AcceptedJob,
  Character,
  CharacterOptions,
  CharacterStats,
  Comment,
  CreateCharacterRequest,
  CreateEditRequest,
  CreateGenerationRequest,
  Image,
  ImageDetail,
  ImageKind,
  Job,
  LikeAnswer,
  MfaSetup,
  Page,
  PatchCharacterRequest,
  Profile,
  PublicConfig,
  PublicProfile,
  SignupResponse,
  Style,
  UploadPurpose,
  UploadTicket,
} from './types.ts';

/** Every route of API.md the web app calls, by what it does. */
const id = encodeURIComponent;

export const accounts = {
  signUp: (body: { email: string; password: string; displayName?: string }) =>
    api<SignupResponse>('POST', '/api/auth/signup', { auth: 'none', body }),
  confirm: (body: { email: string; code: string }) =>
    api<void>('POST', '/api/auth/confirm', { auth: 'none', body }),
  resendCode: (email: string) =>
    api<void>('POST', '/api/auth/resend-code', { auth: 'none', body: { email } }),
  forgotPassword: (email: string) =>
    api<void>('POST', '/api/auth/password/forgot', { auth: 'none', body: { email } }),
  resetPassword: (body: { email: string; code: string; newPassword: string }) =>
    api<void>('POST', '/api/auth/password/reset', { auth: 'none', body }),
  updateProfile: (body: { displayName?: string; bio?: string }) => api<Profile>('PATCH', '/api/me', { body }),
  setUpMfa: () => api<MfaSetup>('POST', '/api/me/mfa/setup'),
  verifyMfa: (code: string) => api<void>('POST', '/api/me/mfa/verify', { body: { code } }),
  disableMfa: (code?: string) =>
    api<void>('DELETE', '/api/me/mfa', code === undefined ? {} : { body: { code } }),
};

export const catalogue = {
  config: () => api<PublicConfig>('GET', '/api/config', { auth: 'none' }),
  styles: () => api<{ items: Style[] }>('GET', '/api/styles', { auth: 'none' }),
};

/** Sends a job, noting whether the live-updates socket was open to hear all of it. */
async function acceptJob(path: string, body: unknown, idempotencyKey: string): Promise<AcceptedJob> {
  const accepted = acceptingJob();
  const job = await api<AcceptedJob>('POST', path, { body, headers: { 'idempotency-key': idempotencyKey } });
  accepted(job.jobId);
  return job;
}

export const jobs = {
  generate: (body: CreateGenerationRequest, idempotencyKey: string) =>
    acceptJob('/api/generations', body, idempotencyKey),
  edit: (body: CreateEditRequest, idempotencyKey: string) => acceptJob('/api/edits', body, idempotencyKey),
  get: (jobId: string, signal?: AbortSignal) => api<Job>('GET', `/api/jobs/${id(jobId)}`, { signal }),
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

export const images = {
  get: (imageId: string, signal?: AbortSignal) =>
    api<ImageDetail>('GET', `/api/images/${id(imageId)}`, { auth: 'optional', signal }),
  mine: (cursor: string | null, kind?: ImageKind) =>
    api<Page<Image>>('GET', `/api/images${query({ cursor, kind, limit: 24 })}`),
  gallery: (view: GalleryQuery, cursor: string | null) =>
    api<Page<Image>>('GET', `/api/gallery${query({ ...galleryApiParams(view), cursor, limit: 24 })}`, {
      auth: 'optional',
      cache: galleryCache(),
    }),
  liked: (cursor: string | null) => api<Page<Image>>('GET', `/api/me/likes${query({ cursor, limit: 24 })}`),
  like: (imageId: string) => api<LikeAnswer>('POST', `/api/images/${id(imageId)}/like`),
  unlike: (imageId: string) => api<LikeAnswer>('DELETE', `/api/images/${id(imageId)}/like`),
  /** The original, as a file: the API answers with a short-lived address that downloads it. */
  downloadPath: (imageId: string) => `/api/images/${id(imageId)}/download`,
  update: (imageId: string, body: { title?: string; isPublic?: boolean }) =>
    api<Image>('PATCH', `/api/images/${id(imageId)}`, { body }).then(galleryChanged),
  share: (imageId: string) => api<Image>('POST', `/api/images/${id(imageId)}/share`).then(galleryChanged),
  unshare: (imageId: string) => api<Image>('DELETE', `/api/images/${id(imageId)}/share`).then(galleryChanged),
  remove: (imageId: string) => api<void>('DELETE', `/api/images/${id(imageId)}`).then(galleryChanged),
  describe: (imageId: string) => api<AcceptedJob>('POST', `/api/images/${id(imageId)}/describe`),
};

export const users = {
  get: (userId: string, signal?: AbortSignal) =>
    api<PublicProfile>('GET', `/api/users/${id(userId)}`, { auth: 'none', signal }),
  images: (userId: string, cursor: string | null) =>
    api<Page<Image>>('GET', `/api/users/${id(userId)}/images${query({ cursor, limit: 24 })}`, {
      auth: 'optional',
    }),
};

export const comments = {
  list: (imageId: string, cursor: string | null) =>
    api<Page<Comment>>('GET', `/api/images/${id(imageId)}/comments${query({ cursor })}`, {
      auth: 'optional',
    }),
  add: (imageId: string, text: string) =>
    api<Comment>('POST', `/api/images/${id(imageId)}/comments`, { body: { text } }),
  edit: (imageId: string, commentId: string, text: string) =>
    api<Comment>('PATCH', `/api/images/${id(imageId)}/comments/${id(commentId)}`, { body: { text } }),
  remove: (imageId: string, commentId: string) =>
    api<void>('DELETE', `/api/images/${id(imageId)}/comments/${id(commentId)}`),
};

export const uploads = {
  ticket: (body: { contentType: string; contentLength: number; purpose: UploadPurpose }) =>
    api<UploadTicket>('POST', '/api/uploads', { body }),
};

export const characters = {
  options: () => api<CharacterOptions>('GET', '/api/characters/options', { auth: 'none' }),
  list: (cursor: string | null) => api<Page<Character>>('GET', `/api/characters${query({ cursor })}`),
  stats: () => api<CharacterStats>('GET', '/api/characters/stats'),
  get: (characterId: string, signal?: AbortSignal) =>
    api<Character>('GET', `/api/characters/${id(characterId)}`, { signal }),
  create: (body: CreateCharacterRequest) => api<Character>('POST', '/api/characters', { body }),
  update: (characterId: string, body: PatchCharacterRequest) =>
    api<Character>('PATCH', `/api/characters/${id(characterId)}`, { body }),
  regeneratePortrait: (characterId: string) =>
    api<AcceptedJob>('POST', `/api/characters/${id(characterId)}/portrait`),
  remove: (characterId: string) => api<void>('DELETE', `/api/characters/${id(characterId)}`),
};
