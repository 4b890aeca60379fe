import { computed, signal } from '@preact/signals';
import {
  type CallArgs,
  type CallResult,
  documents,
  type OperationId,
  type PreparedCall,
  prepareCall,
} from '../../../shared/http/api-client.ts';
import { ApiError, asApiError, errorFromBody } from './errors.ts';
import { http } from './http.ts';
import type { MfaChallenge, Profile, RefreshedTokens, Tokens } from './types.ts';

/*
 * Where the tokens live. The access token is kept only in this module's memory, so no
 * storage ever holds the token that opens the API. The refresh token is in a cookie the API
 * sets at login (HttpOnly, Secure, SameSite=Strict, only for /api/auth): no script reads it,
 * and every tab, and the browser after a restart, renews with it. localStorage holds only a
 * mark that a session exists (so a visitor never logged in asks for no renewal), and its
 * removal tells the other tabs that this one logged out.
 */
const sessionMark = 'easel.session';
// Renew this long before the access token expires, so no call carries a token about to lapse.
const renewMarginMs = 60_000;

let accessToken: string | undefined;
let expiresAt = 0;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<string> | undefined;

export type SessionState =
  | { readonly status: 'restoring' }
  | { readonly status: 'signed-out'; readonly notice?: string }
  | { readonly status: 'signed-in'; readonly profile: Profile };

export const session = signal<SessionState>({ status: 'restoring' });
export const profile = computed(() =>
  session.value.status === 'signed-in' ? session.value.profile : undefined,
);

function hasSession(): boolean {
  try {
    return localStorage.getItem(sessionMark) !== null;
  } catch {
    return false;
  }
}

function mark(present: boolean) {
  try {
    if (present) localStorage.setItem(sessionMark, '1');
    else localStorage.removeItem(sessionMark);
  } catch {
    // Storage may be disabled: this tab still works, other tabs just are not told.
  }
}

function keep(tokens: RefreshedTokens, loggedIn = false) {
  accessToken = tokens.accessToken;
  expiresAt = Date.now() + tokens.expiresIn * 1000;
  if (loggedIn) mark(true);
  clearTimeout(renewTimer);
  const delay = Math.max(10_000, tokens.expiresIn * 1000 - renewMarginMs);
  renewTimer = setTimeout(() => {
    renew().catch(() => undefined);
  }, delay);
}

function forget(notice?: string) {
  accessToken = undefined;
  expiresAt = 0;
  clearTimeout(renewTimer);
  renewTimer = undefined;
  mark(false);
  session.value = { status: 'signed-out', notice };
}

// Another tab logged out (the API has revoked every token): this one ends too.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === sessionMark && event.newValue === null && session.value.status === 'signed-in')
      forget('You logged out in another tab.');
  });
}

/** A new access token from the refresh token; one renewal at a time however many calls wait. */
function renew(): Promise<string> {
  renewing ??= (async () => {
    if (!hasSession()) throw new ApiError(401, 'UNAUTHENTICATED', 'You are not logged in.');
    try {
      // The refresh token travels in its cookie.
      const tokens = await call('refresh', { body: {} });
      keep(tokens);
      return tokens.accessToken;
    } catch (error) {
      const failure = asApiError(error);
      // A refused refresh token ends the session; a network failure leaves it for the next try.
      if (failure.status === 401 || failure.status === 400)
        forget('Your session has ended. Log in again to go on.');
      throw failure;
    }
  })().finally(() => {
    renewing = undefined;
  });
  return renewing;
}

async function currentToken(): Promise<string | undefined> {
  if (accessToken && Date.now() < expiresAt - 5_000) return accessToken;
  if (!hasSession()) return undefined;
  return renew();
}

/** What a call may add to the operation's input. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** How the browser's HTTP cache may answer (the gallery is cacheable for a few seconds). */
  readonly cache?: RequestCache;
  /** Headers of the request, e.g. `idempotency-key`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A call of an operation of the route table: its path, method and auth come from the route,
 * its input and answer are typed from the route's schemas. A 404 `NOT_FOUND` from an operation
 * that never answers 404 comes from the API's catch-all: this server does not serve the route
 * (yet), told by the code `NOT_SERVED`.
 */
export async function call<Id extends OperationId>(
  operationId: Id,
  ...[input]: CallArgs<Id, CallOptions>
): Promise<CallResult<Id>> {
  const prepared = prepareCall(operationId, ...([input] as CallArgs<Id>));
  const options: SendOptions = {
    body: prepared.body,
    headers: { ...prepared.headers, ...input?.headers },
    signal: input?.signal,
    cache: input?.cache,
  };
  try {
    return await send<CallResult<Id>>(prepared, options);
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.status === 404 &&
      error.code === 'NOT_FOUND' &&
      !documents(operationId, 404)
    )
      throw new ApiError(404, 'NOT_SERVED', error.message, error.details, error.requestId);
    throw error;
  }
}

/** The path of a call, e.g. to fetch a download with `apiFile`. */
export function pathOf<Id extends OperationId>(operationId: Id, ...args: CallArgs<Id>): string {
  return prepareCall(operationId, ...args).path;
}

type SendOptions = Omit<Parameters<typeof http>[2] & object, 'token'>;

/**
 * Sends a call with the session's access token as the route's auth asks: `user` needs one,
 * `optional` sends it when logged in, `public` never does. A 401 on a call that carried a token
 * renews the token once and retries; if that fails too, the session has ended.
 */
async function send<T>(prepared: PreparedCall, options: SendOptions): Promise<T> {
  const { method, path, auth } = prepared;
  if (auth === 'public') return http<T>(method, path, options);
  let token = await currentToken().catch((error) => {
    if (auth === 'optional') return undefined;
    throw error;
  });
  if (!token && auth === 'user') throw new ApiError(401, 'UNAUTHENTICATED', 'You are not logged in.');
  try {
    return await http<T>(method, path, { ...options, token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !token) throw error;
    token = await renew().catch(() => undefined);
    if (token) return http<T>(method, path, { ...options, token });
    if (auth === 'optional') return http<T>(method, path, options);
    forget('Your session has ended. Log in again to go on.');
    throw error;
  }
}

export async function loadProfile(): Promise<Profile> {
  const me = await call('getMe');
  session.value = { status: 'signed-in', profile: me };
  return me;
}

/** On start: the refresh cookie logs back in without asking. */
export async function restoreSession(): Promise<void> {
  if (!hasSession()) {
    session.value = { status: 'signed-out' };
    return;
  }
  try {
    await renew();
    await loadProfile();
  } catch (error) {
    const failure = asApiError(error);
    if (session.value.status === 'restoring')
      forget(failure.status === 0 ? 'Easel could not be reached to restore your session.' : undefined);
  }
}

/** Logs in; a user with MFA on gets the challenge instead, answered with `answerMfaChallenge`. */
export async function logIn(email: string, password: string): Promise<Profile | MfaChallenge> {
  const answer = await call('logIn', { body: { email, password } });
  if ('challenge' in answer) return answer;
  return begin(answer);
}

/** Finishes a challenged login with the authenticator app's code. */
export async function answerMfaChallenge(
  email: string,
  challenge: MfaChallenge,
  code: string,
): Promise<Profile> {
  const tokens = await call('answerMfaChallenge', { body: { email, session: challenge.session, code } });
  return begin(tokens);
}

async function begin(tokens: Tokens): Promise<Profile> {
  keep(tokens, true);
  try {
    return await loadProfile();
  } catch (error) {
    forget();
    throw error;
  }
}

/**
 * Signs out everywhere (the API revokes every token of the user) and forgets the tokens
 * here whatever the answer; a failure is returned so the person learns the server was not told.
 */
export async function logOut(): Promise<ApiError | undefined> {
  let failure: ApiError | undefined;
  if (accessToken || hasSession()) {
    await call('logOut').catch((error) => {
      failure = asApiError(error);
    });
  }
  forget();
  return failure;
}

/**
 * A file from the API with the session's token, e.g. a private image's download: the API
 * answers with a redirect to a short-lived address, which the browser follows.
 */
export async function apiFile(path: string): Promise<Blob> {
  const token = await currentToken().catch(() => undefined);
  let response: Response;
  try {
    response = await fetch(path, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      credentials: 'same-origin',
    });
  } catch (error) {
    throw asApiError(error);
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw errorFromBody(response.status, body, response.headers.get('retry-after'), response.statusText);
  }
  return response.blob();
}

/**
 * Deletes the account (`DELETE /api/me`: every token of it stops working at once, the rest
 * follows on the server) and forgets the session here. A failure leaves the session as it was.
 */
export async function deleteAccount(): Promise<void> {
  await call('deleteMe');
  forget();
}
