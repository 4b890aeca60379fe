export interface SessionTokens {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
}

/** A login of a user with MFA on: the session that the authenticator's code must answer. */
export interface MfaChallenge {
  readonly challenge: 'SOFTWARE_TOKEN_MFA';
  readonly session: string;
}

export const isMfaChallenge = (result: SessionTokens | MfaChallenge): result is MfaChallenge =>
  'challenge' in result;

/** The identity provider (Cognito in AWS and in the emulator). */
export interface UserDirectory {
  signUp(input: { email: string; password: string; displayName?: string }): Promise<{
    userId: string;
    confirmed: boolean;
  }>;
  confirmSignUp(email: string, code: string): Promise<void>;
  resendConfirmationCode(email: string): Promise<void>;
  logIn(email: string, password: string): Promise<SessionTokens | MfaChallenge>;
  /** Finishes a challenged login with the authenticator's current code. */
  answerMfaChallenge(email: string, session: string, code: string): Promise<SessionTokens>;
  refresh(refreshToken: string): Promise<Omit<SessionTokens, 'refreshToken'>>;
  /** Revokes every token of the user whose access token this is. */
  signOutEverywhere(accessToken: string): Promise<void>;
  /** Revokes every refresh token of the user with this e-mail; answers their user id. */
  signOutUser(email: string): Promise<string>;
  forgotPassword(email: string): Promise<void>;
  resetPassword(email: string, code: string, newPassword: string): Promise<void>;
  /** The user's own attributes, read with their access token. */
  attributes(accessToken: string): Promise<{ email: string; displayName?: string }>;
  /** A new authenticator (TOTP) secret for the user, not in force until verified. */
  associateAuthenticator(accessToken: string): Promise<string>;
  /** Checks a code of the user's authenticator (a wrong one throws `CODE_MISMATCH`). */
  verifyAuthenticator(accessToken: string, code: string): Promise<void>;
  /** Whether logging in asks for the authenticator's code. */
  setAuthenticatorMfa(accessToken: string, enabled: boolean): Promise<void>;
}

export interface StoredProfile {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly bio?: string;
  /** Kept when MFA is turned on or off here, so reading the profile needs no Cognito call. */
  readonly mfaEnabled?: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the sign-out check reads of a user: one strongly consistent read of the profile's item. */
export interface SessionState {
  /** Tokens issued at or before this second (epoch seconds, a token's `iat`) are refused. */
  readonly revokedBefore?: number;
  /** The profile, when one was made (a sign-out can come before it). */
  readonly profile?: StoredProfile;
}

export interface ProfileStore {
  get(userId: string): Promise<StoredProfile | undefined>;
  /** Creates the profile unless it exists; answers the one that is stored either way. */
  create(profile: StoredProfile): Promise<StoredProfile>;
  update(
    userId: string,
    changes: { displayName?: string; bio?: string; mfaEnabled?: boolean },
    now: string,
  ): Promise<StoredProfile>;
  /** Tokens issued at or before this second (epoch seconds, a token's `iat`) are refused from now on. */
  revokeSessions(userId: string, issuedAtOrBefore: number): Promise<void>;
  session(userId: string): Promise<SessionState>;
  /** What the user took from the day's quota and allowance: images and descriptions. */
  usageOn(userId: string, day: string): Promise<{ images: number; descriptions: number }>;
}

/** Waits this many milliseconds; a unit test passes one that only moves its clock on. */
export type Sleep = (milliseconds: number) => Promise<void>;

export const systemSleep: Sleep = (milliseconds) =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));
