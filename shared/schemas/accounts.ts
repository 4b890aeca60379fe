import * as z from 'zod';
import { DisplayName, Email, multiLine, Password, shownText, Timestamp } from './fields.ts';

export const SignupRequest = z
  .strictObject({ email: Email, password: Password, displayName: DisplayName.optional() })
  .meta({ id: 'SignupRequest' });
export const SignupResponse = z
  .object({ userId: z.string(), confirmed: z.boolean() })
  .meta({ id: 'SignupResponse' });

export const ConfirmRequest = z
  .strictObject({ email: Email, code: z.string().trim().min(1).max(20) })
  .meta({ id: 'ConfirmRequest' });
export const EmailRequest = z.strictObject({ email: Email }).meta({ id: 'EmailRequest' });
export const LoginRequest = z.strictObject({ email: Email, password: Password }).meta({ id: 'LoginRequest' });
export const RefreshRequest = z
  .strictObject({
    refreshToken: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .meta({ description: "Required unless the gallery's HttpOnly refresh cookie is sent" }),
  })
  .meta({ id: 'RefreshRequest' });
export const ResetPasswordRequest = z
  .strictObject({ email: Email, code: z.string().trim().min(1).max(20), newPassword: Password })
  .meta({ id: 'ResetPasswordRequest' });

export const Tokens = z
  .object({
    accessToken: z.string(),
    idToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int(),
    tokenType: z.literal('Bearer'),
  })
  .meta({ id: 'Tokens' });
/** A login of a user with MFA on: no tokens until the authenticator's code answers the challenge. */
export const MfaChallenge = z
  .object({
    challenge: z.literal('SOFTWARE_TOKEN_MFA'),
    session: z.string().meta({ description: 'Pass to POST /api/auth/mfa within a few minutes' }),
  })
  .meta({ id: 'MfaChallenge' });
export const LoginResult = z.union([Tokens, MfaChallenge]).meta({ id: 'LoginResult' });

/** The six digits an authenticator app shows (RFC 6238). */
export const TotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be the 6 digits your authenticator app shows')
  .meta({ example: '123456' });
export const MfaAnswerRequest = z
  .strictObject({ email: Email, session: z.string().min(1).max(4096), code: TotpCode })
  .meta({ id: 'MfaAnswerRequest' });
export const MfaSetup = z
  .object({
    secret: z.string().meta({ description: 'The shared secret (base32), to type into an authenticator app' }),
    otpauthUri: z.string().meta({ description: 'The same as an otpauth:// URI, as a QR code carries it' }),
  })
  .meta({ id: 'MfaSetup' });
export const MfaVerifyRequest = z.strictObject({ code: TotpCode }).meta({ id: 'MfaVerifyRequest' });
// A DELETE may come without a body.
export const MfaDisableRequest = z
  .strictObject({ code: TotpCode.optional() })
  .meta({ id: 'MfaDisableRequest' })
  .optional();

export const RefreshedTokens = Tokens.omit({ refreshToken: true }).meta({ id: 'RefreshedTokens' });

export const Profile = z
  .object({
    userId: z.string(),
    email: z.string(),
    displayName: z.string(),
    bio: z.string().optional(),
    mfaEnabled: z.boolean().meta({ description: 'Logging in asks for an authenticator code' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    usage: z.object({
      imagesToday: z.number().int(),
      quotaPerDay: z.number().int(),
      descriptionsToday: z.number().int(),
      descriptionsPerDay: z.number().int(),
    }),
  })
  .meta({ id: 'Profile' });
export const PatchProfileRequest = z
  .strictObject({ displayName: DisplayName.optional(), bio: shownText(multiLine(500)).optional() })
  .meta({ id: 'PatchProfileRequest' });

export type Profile = z.infer<typeof Profile>;
