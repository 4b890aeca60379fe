import * as z from 'zod/mini';
import { DisplayName, Email, multiLine, Password, shownText, Timestamp } from './fields.ts';
import { meta } from './meta.ts';

export const SignupRequest = meta(
  z.strictObject({ email: Email, password: Password, displayName: z.optional(DisplayName) }),
  { id: 'SignupRequest' },
);
export const SignupResponse = meta(z.object({ userId: z.string(), confirmed: z.boolean() }), {
  id: 'SignupResponse',
});

export const ConfirmRequest = meta(
  z.strictObject({ email: Email, code: z.string().check(z.trim(), z.minLength(1), z.maxLength(20)) }),
  { id: 'ConfirmRequest' },
);
export const EmailRequest = meta(z.strictObject({ email: Email }), { id: 'EmailRequest' });
export const LoginRequest = meta(z.strictObject({ email: Email, password: Password }), {
  id: 'LoginRequest',
});
export const RefreshRequest = meta(
  z.strictObject({
    refreshToken: meta(z.optional(z.string().check(z.minLength(1), z.maxLength(4096))), {
      description: "Required unless the gallery's HttpOnly refresh cookie is sent",
    }),
  }),
  { id: 'RefreshRequest' },
);
export const ResetPasswordRequest = meta(
  z.strictObject({
    email: Email,
    code: z.string().check(z.trim(), z.minLength(1), z.maxLength(20)),
    newPassword: Password,
  }),
  { id: 'ResetPasswordRequest' },
);

export const Tokens = meta(
  z.object({
    accessToken: z.string(),
    idToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().check(z.int()),
    tokenType: z.literal('Bearer'),
  }),
  { id: 'Tokens' },
);
/** A login of a user with MFA on: no tokens until the authenticator's code answers the challenge. */
export const MfaChallenge = meta(
  z.object({
    challenge: z.literal('SOFTWARE_TOKEN_MFA'),
    session: meta(z.string(), { description: 'Pass to POST /api/auth/mfa within a few minutes' }),
  }),
  { id: 'MfaChallenge' },
);
export const LoginResult = meta(z.union([Tokens, MfaChallenge]), { id: 'LoginResult' });

/** The six digits an authenticator app shows (RFC 6238). */
export const TotpCode = meta(
  z.string().check(z.trim(), z.regex(/^\d{6}$/, 'must be the 6 digits your authenticator app shows')),
  { example: '123456' },
);
export const MfaAnswerRequest = meta(
  z.strictObject({
    email: Email,
    session: z.string().check(z.minLength(1), z.maxLength(4096)),
    code: TotpCode,
  }),
  { id: 'MfaAnswerRequest' },
);
export const MfaSetup = meta(
  z.object({
    secret: meta(z.string(), {
      description: 'The shared secret (base32), to type into an authenticator app',
    }),
    otpauthUri: meta(z.string(), { description: 'The same as an otpauth:// URI, as a QR code carries it' }),
  }),
  { id: 'MfaSetup' },
);
export const MfaVerifyRequest = meta(z.strictObject({ code: TotpCode }), { id: 'MfaVerifyRequest' });
// A DELETE may come without a body.
export const MfaDisableRequest = z.optional(
  meta(z.strictObject({ code: z.optional(TotpCode) }), { id: 'MfaDisableRequest' }),
);

export const RefreshedTokens = meta(z.omit(Tokens, { refreshToken: true }), { id: 'RefreshedTokens' });

export const Profile = meta(
  z.object({
    userId: z.string(),
    email: z.string(),
    displayName: z.string(),
    bio: z.optional(z.string()),
    mfaEnabled: meta(z.boolean(), { description: 'Logging in asks for an authenticator code' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    usage: z.object({
      imagesToday: z.number().check(z.int()),
      quotaPerDay: z.number().check(z.int()),
      descriptionsToday: z.number().check(z.int()),
      descriptionsPerDay: z.number().check(z.int()),
    }),
  }),
  { id: 'Profile' },
);
export const PatchProfileRequest = meta(
  z.strictObject({ displayName: z.optional(DisplayName), bio: z.optional(shownText(multiLine(500))) }),
  { id: 'PatchProfileRequest' },
);

export type Profile = z.infer<typeof Profile>;
