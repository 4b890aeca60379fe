import { UnauthenticatedError } from '../../errors.ts';
import type { Clock } from '../ports.ts';
import type { ProfileStore, Sleep, StoredProfile, UserDirectory } from './ports.ts';

export interface AccountDeps {
  readonly directory: UserDirectory;
  readonly profiles: ProfileStore;
  readonly clock: Clock;
  readonly quotaPerDay: number;
  readonly descriptionsPerDay: number;
}

export interface SignedInUser {
  readonly userId: string;
  readonly accessToken: string;
  /** The profile as it was read for this request already (by the sign-out check), if it was. */
  readonly profile?: StoredProfile;
}

/** The UTC day a usage counter belongs to. */
export function usageDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function fallbackName(email: string): string {
  return email.split('@')[0] || email;
}

/**
 * The caller's profile, created from their Cognito attributes the first time it is
 * needed: no Cognito trigger has to have run (none runs locally).
 */
export async function ensureProfile(
  deps: Pick<AccountDeps, 'directory' | 'profiles' | 'clock'>,
  user: SignedInUser,
): Promise<StoredProfile> {
  const stored = user.profile ?? (await deps.profiles.get(user.userId));
  if (stored) return stored;
  const attributes = await deps.directory.attributes(user.accessToken);
  const now = deps.clock.now().toISOString();
  return deps.profiles.create({
    userId: user.userId,
    email: attributes.email,
    displayName: attributes.displayName ?? fallbackName(attributes.email),
    createdAt: now,
    updatedAt: now,
  });
}

/** Who asks for work: the caller, under the name their work is shown with. */
export async function requesterOf(
  deps: Pick<AccountDeps, 'directory' | 'profiles' | 'clock'>,
  user: SignedInUser,
): Promise<{ userId: string; displayName: string }> {
  const profile = await ensureProfile(deps, user);
  return { userId: user.userId, displayName: profile.displayName };
}

export async function getProfile(deps: AccountDeps, user: SignedInUser) {
  return profileView(deps, await ensureProfile(deps, user));
}

async function profileView(deps: AccountDeps, profile: StoredProfile) {
  const used = await deps.profiles.usageOn(profile.userId, usageDay(deps.clock.now()));
  return {
    ...profile,
    mfaEnabled: profile.mfaEnabled ?? false,
    usage: {
      imagesToday: used.images,
      quotaPerDay: deps.quotaPerDay,
      descriptionsToday: used.descriptions,
      descriptionsPerDay: deps.descriptionsPerDay,
    },
  };
}

export async function updateProfile(
  deps: AccountDeps,
  user: SignedInUser,
  changes: { displayName?: string; bio?: string },
) {
  const current = await ensureProfile(deps, user);
  const changed =
    changes.displayName !== undefined || changes.bio !== undefined
      ? await deps.profiles.update(user.userId, changes, deps.clock.now().toISOString())
      : current;
  return profileView(deps, changed);
}

export interface SessionDeps extends Pick<AccountDeps, 'directory' | 'profiles' | 'clock'> {
  readonly sleep: Sleep;
}

/** Allowance for the Lambda's clock and Cognito's disagreeing (both are kept by Amazon Time Sync). */
const CLOCK_SKEW_MS = 100;

/**
 * Ends every session of a user whose refresh tokens Cognito has just revoked, so that no
 * token of an old session can be minted from here on; the JWT authorizer would still take
 * the access tokens already issued, so they are refused by their issue time.
 *
 * The rule: Cognito stamps `iat` (and `auth_time`) in whole seconds, so a token of the
 * current second may come from just before the sign-out or just after it, and `jti` or
 * `origin_jti` tell nothing of when. So the current second S is made wholly past: tokens
 * with `iat <= S` are refused (S is at least `notBefore`, the caller's own token), and the
 * answer waits until S is over (at most a second). Every token issued before the sign-out
 * has `iat <= S`; a login made after the answer has `iat >= S + 1` and works. A login that
 * races the sign-out inside S is refused with the rest, as a sign-out everywhere should.
 */
export async function endSessions(deps: SessionDeps, userId: string, notBefore = 0) {
  const second = Math.max(Math.floor((deps.clock.now().getTime() + CLOCK_SKEW_MS) / 1000), notBefore);
  await deps.profiles.revokeSessions(userId, second);
  const wait = (second + 1) * 1000 + CLOCK_SKEW_MS - deps.clock.now().getTime();
  if (wait > 0) await deps.sleep(wait);
}

/** Global sign-out: Cognito revokes the refresh tokens, then the tokens already issued end too. */
export async function logOut(deps: SessionDeps, user: SignedInUser & { tokenIssuedAt: number }) {
  try {
    await deps.directory.signOutEverywhere(user.accessToken);
  } catch (error) {
    // Cognito has revoked this token already, yet it passed the session guard: an earlier
    // sign-out stopped half-way. Ending the sessions is what is left to do.
    if (!(error instanceof UnauthenticatedError)) throw error;
  }
  await endSessions(deps, user.userId, user.tokenIssuedAt);
}

/**
 * A new password with the e-mailed code. Whoever knew the old password may hold a session,
 * so every session ends with it: its refresh tokens, and the access tokens issued before.
 * Only after the code was accepted, so that nobody can sign out someone else.
 */
export async function resetPassword(
  deps: SessionDeps,
  request: { email: string; code: string; newPassword: string },
) {
  await deps.directory.resetPassword(request.email, request.code, request.newPassword);
  await endSessions(deps, await deps.directory.signOutUser(request.email));
}

/** The issuer an authenticator app shows beside the account. */
const mfaIssuer = 'Easel';

/** The otpauth URI (Google Authenticator's key URI format) that authenticator apps read from a QR code. */
export function otpauthUri(email: string, secret: string, issuer = mfaIssuer): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(email)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${query}`;
}

/** Step one of turning MFA on: a new secret for the authenticator app; nothing changes at login yet. */
export async function startMfaSetup(
  deps: Pick<AccountDeps, 'directory' | 'profiles' | 'clock'>,
  user: SignedInUser,
) {
  const profile = await ensureProfile(deps, user);
  const secret = await deps.directory.associateAuthenticator(user.accessToken);
  return { secret, otpauthUri: otpauthUri(profile.email, secret) };
}

type MfaDeps = Pick<AccountDeps, 'directory' | 'profiles' | 'clock'>;

/**
 * Cognito decides, the profile remembers it for `GET /api/me`. Should the profile write fail
 * after Cognito's, the request fails and doing it again (with a new code) brings both in line.
 */
async function setMfa(deps: MfaDeps, user: SignedInUser, enabled: boolean) {
  await ensureProfile(deps, user);
  await deps.directory.setAuthenticatorMfa(user.accessToken, enabled);
  await deps.profiles.update(user.userId, { mfaEnabled: enabled }, deps.clock.now().toISOString());
}

/** Step two: a code of the new authenticator proves it is set up; from then on login asks for one. */
export async function enableMfa(deps: MfaDeps, user: SignedInUser, code: string) {
  await deps.directory.verifyAuthenticator(user.accessToken, code);
  await setMfa(deps, user, true);
}

/** Turns MFA off; a code, when given, is checked first, and a wrong one changes nothing. */
export async function disableMfa(deps: MfaDeps, user: SignedInUser, code?: string) {
  if (code !== undefined) await deps.directory.verifyAuthenticator(user.accessToken, code);
  await setMfa(deps, user, false);
}
