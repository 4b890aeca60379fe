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
export const RefreshedTokens = Tokens.omit({ refreshToken: true }).meta({ id: 'RefreshedTokens' });

export const Profile = z
  .object({
    userId: z.string(),
    email: z.string(),
    displayName: z.string(),
    bio: z.string().optional(),
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
