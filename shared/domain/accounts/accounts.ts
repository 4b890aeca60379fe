import type { Clock, ProfileStore, StoredProfile, UserDirectory } from './ports.ts';

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
  const stored = await deps.profiles.get(user.userId);
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
  const profile = await ensureProfile(deps, user);
  const used = await deps.profiles.usageOn(user.userId, usageDay(deps.clock.now()));
  return {
    ...profile,
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
  await ensureProfile(deps, user);
  if (changes.displayName !== undefined || changes.bio !== undefined) {
    await deps.profiles.update(user.userId, changes, deps.clock.now().toISOString());
  }
  return getProfile(deps, user);
}

/**
 * Global sign-out. Cognito revokes the refresh tokens, but a JWT authorizer checks only
 * signature and expiry, so the tokens already issued are also refused by their issue
 * time on every protected route.
 */
export async function logOut(
  deps: Pick<AccountDeps, 'directory' | 'profiles' | 'clock'>,
  user: SignedInUser & { tokenIssuedAt: number },
) {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  await deps.profiles.revokeSessions(user.userId, Math.max(now, user.tokenIssuedAt));
  await deps.directory.signOutEverywhere(user.accessToken);
}
