/**
 * The shapes the web app exchanges with the API, by the names its pages use: each inferred from
 * its zod schema in shared/schemas or from its route's answer (type-only imports, so no zod code
 * reaches the browser). Only `Page` is the app's own.
 */
import type { z } from 'zod';
import type { TextAttribute } from '../../../shared/domain/characters/attributes.ts';
import type { CallResult } from '../../../shared/http/api-client.ts';
import type {
  MfaChallenge as MfaChallengeSchema,
  MfaSetup as MfaSetupSchema,
  Profile as ProfileSchema,
  RefreshedTokens as RefreshedTokensSchema,
  Tokens as TokensSchema,
} from '../../../shared/schemas/accounts.ts';
import type { PublicConfig as PublicConfigSchema, StyleList } from '../../../shared/schemas/catalogue.ts';
import type {
  CharacterStats as CharacterStatsSchema,
  CreateCharacterRequest as CreateCharacterRequestSchema,
  PatchCharacterRequest as PatchCharacterRequestSchema,
} from '../../../shared/schemas/characters.ts';
import type { CreateEditRequest as CreateEditRequestSchema } from '../../../shared/schemas/edits.ts';
import type {
  AcceptedJob as AcceptedJobSchema,
  CreateGenerationRequest as CreateGenerationRequestSchema,
  Job as JobSchema,
} from '../../../shared/schemas/generation.ts';
import type {
  Comment as CommentSchema,
  ImageDetail as ImageDetailSchema,
  Image as ImageSchema,
} from '../../../shared/schemas/images.ts';
import type { CreateUploadRequest } from '../../../shared/schemas/uploads.ts';

export type Profile = z.infer<typeof ProfileSchema>;
export type Tokens = z.infer<typeof TokensSchema>;
export type MfaChallenge = z.infer<typeof MfaChallengeSchema>;
export type MfaSetup = z.infer<typeof MfaSetupSchema>;
export type RefreshedTokens = z.infer<typeof RefreshedTokensSchema>;
export type PublicConfig = z.infer<typeof PublicConfigSchema>;
export type Style = z.infer<typeof StyleList>['items'][number];
export type Job = z.infer<typeof JobSchema>;
export type AcceptedJob = z.infer<typeof AcceptedJobSchema>;
export type CreateGenerationRequest = z.input<typeof CreateGenerationRequestSchema>;
export type Image = z.infer<typeof ImageSchema>;
export type ImageDetail = z.infer<typeof ImageDetailSchema>;
export type Comment = z.infer<typeof CommentSchema>;

/** What anyone may see of a person. */
export type PublicProfile = CallResult<'getUser'>;

/** A page of a listing, as the paged lists load it. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export type ImageKind = Image['kind'];

export type UploadPurpose = z.input<typeof CreateUploadRequest>['purpose'];

/** A presigned POST limited to one size and type. */
export type UploadTicket = CallResult<'createUpload'>;

export type CreateEditRequest = z.input<typeof CreateEditRequestSchema>;

export type CharacterAttribute = TextAttribute;
export type CharacterFields = Omit<z.input<typeof CreateCharacterRequestSchema>, 'generatePortrait'>;
export type CreateCharacterRequest = z.input<typeof CreateCharacterRequestSchema>;
export type PatchCharacterRequest = z.input<typeof PatchCharacterRequestSchema>;
export type Character = CallResult<'getCharacter'>;

/** Suggested values per attribute. */
export type CharacterOptions = CallResult<'getCharacterOptions'>;
export type CharacterStats = z.infer<typeof CharacterStatsSchema>;
