/**
 * The shapes the web app exchanges with the API. Where shared/schemas has the zod schema,
 * the type is inferred from it (a type-only import, so no zod code reaches the browser);
 * the others are written from API.md, the contract every route follows.
 */
import type { z } from 'zod';
import type { TextAttribute } from '../../../shared/domain/characters/attributes.ts';
import type {
  LoginResult as LoginResultSchema,
  MfaChallenge as MfaChallengeSchema,
  MfaSetup as MfaSetupSchema,
  Profile as ProfileSchema,
  RefreshedTokens as RefreshedTokensSchema,
  SignupResponse as SignupResponseSchema,
  Tokens as TokensSchema,
} from '../../../shared/schemas/accounts.ts';
import type { PublicConfig as PublicConfigSchema, StyleList } from '../../../shared/schemas/catalogue.ts';
import type {
  CharacterStats as CharacterStatsSchema,
  CreateCharacterRequest as CreateCharacterRequestSchema,
  PatchCharacterRequest as PatchCharacterRequestSchema,
} from '../../../shared/schemas/characters.ts';
import type {
  AcceptedJob as AcceptedJobSchema,
  CreateGenerationRequest as CreateGenerationRequestSchema,
  JobError as JobErrorSchema,
  Job as JobSchema,
} from '../../../shared/schemas/generation.ts';
import type {
  Comment as CommentSchema,
  ImageDetail as ImageDetailSchema,
  Image as ImageSchema,
  LikeState as LikeStateSchema,
} from '../../../shared/schemas/images.ts';

export type Profile = z.infer<typeof ProfileSchema>;
export type Tokens = z.infer<typeof TokensSchema>;
export type LoginResult = z.infer<typeof LoginResultSchema>;
export type MfaChallenge = z.infer<typeof MfaChallengeSchema>;
export type MfaSetup = z.infer<typeof MfaSetupSchema>;
export type RefreshedTokens = z.infer<typeof RefreshedTokensSchema>;
export type SignupResponse = z.infer<typeof SignupResponseSchema>;
export type PublicConfig = z.infer<typeof PublicConfigSchema>;
export type Style = z.infer<typeof StyleList>['items'][number];
export type Job = z.infer<typeof JobSchema>;
export type JobError = z.infer<typeof JobErrorSchema>;
export type AcceptedJob = z.infer<typeof AcceptedJobSchema>;
export type CreateGenerationRequest = z.input<typeof CreateGenerationRequestSchema>;
export type Image = z.infer<typeof ImageSchema>;
export type ImageDetail = z.infer<typeof ImageDetailSchema>;
export type Comment = z.infer<typeof CommentSchema>;

/** `POST`/`DELETE /api/images/{imageId}/like`. */
export type LikeAnswer = z.infer<typeof LikeStateSchema>;

/** `GET /api/users/{userId}`: what anyone may see of a person. */
export interface PublicProfile {
  readonly userId: string;
  readonly displayName: string;
  readonly bio?: string;
  readonly publicImageCount: number;
  readonly joinedAt: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export type ImageKind = Image['kind'];

export type UploadPurpose = 'describe' | 'edit' | 'mask';

/** `POST /api/uploads`: a presigned POST limited to one size and type. */
export interface UploadTicket {
  readonly uploadId: string;
  readonly imageId?: string;
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
  readonly maxBytes: number;
}

export interface CreateEditRequest {
  readonly imageId?: string;
  readonly uploadId?: string;
  readonly prompt: string;
  readonly maskUploadId?: string;
  readonly size?: string;
  readonly n?: number;
}

export type CharacterAttribute = TextAttribute;
export type CharacterFields = Omit<z.input<typeof CreateCharacterRequestSchema>, 'generatePortrait'>;
export type CreateCharacterRequest = z.input<typeof CreateCharacterRequestSchema>;
export type PatchCharacterRequest = z.input<typeof PatchCharacterRequestSchema>;
export type PortraitStatus = 'NONE' | 'QUEUED' | 'RUNNING' | 'READY' | 'FAILED';

export type Character = CharacterFields & {
  readonly characterId: string;
  readonly portraitImageId?: string;
  readonly portraitStatus: PortraitStatus;
  readonly portraitError?: JobError;
  readonly urls?: { readonly original: string; readonly thumbnail: string; readonly display?: string };
  readonly jobId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** Suggested values per attribute. */
export type CharacterOptions = Partial<Record<string, string[]>>;
export type CharacterStats = z.infer<typeof CharacterStatsSchema>;
