import * as z from 'zod/mini';
import { textAttributes } from '../domain/characters/attributes.ts';
import { characterOptions } from '../domain/characters/options.ts';
import { multiLine, shownText, singleLine, Timestamp } from './fields.ts';
import { JobError, page } from './generation.ts';
import { meta } from './meta.ts';

const Name = meta(shownText(singleLine(120)).check(z.trim(), z.minLength(1, 'must not be empty')), {
  example: 'Mira Okafor',
});
const Age = meta(z.number().check(z.int(), z.minimum(0), z.maximum(1000)), {
  description: 'Years',
  example: 34,
});
const Text = shownText(singleLine(120)).check(z.trim());
const Notes = meta(shownText(multiLine(1000)), {
  description: 'The writer’s own notes; never part of the portrait prompt',
});

const textFields = Object.fromEntries(textAttributes.map((key) => [key, z.optional(Text)])) as Record<
  (typeof textAttributes)[number],
  z.ZodMiniOptional<typeof Text>
>;
/** In a PATCH, null clears an attribute. */
const clearableTextFields = Object.fromEntries(
  textAttributes.map((key) => [key, z.optional(z.nullable(Text))]),
) as Record<(typeof textAttributes)[number], z.ZodMiniOptional<z.ZodMiniNullable<typeof Text>>>;

export const CreateCharacterRequest = meta(
  z.strictObject({
    name: Name,
    age: z.optional(Age),
    ...textFields,
    notes: z.optional(Notes),
    generatePortrait: meta(z.optional(z.boolean()), { description: 'Default true' }),
  }),
  { id: 'CreateCharacterRequest' },
);

export const PatchCharacterRequest = meta(
  z.strictObject({
    name: z.optional(Name),
    age: z.optional(z.nullable(Age)),
    ...clearableTextFields,
    notes: z.optional(z.nullable(Notes)),
    regeneratePortrait: meta(z.optional(z.boolean()), {
      description: 'Default: true when an attribute that is in the portrait prompt changed',
    }),
  }),
  { id: 'PatchCharacterRequest' },
);

export const Character = meta(
  z.object({
    characterId: z.string(),
    name: z.string(),
    age: z.optional(z.number().check(z.int())),
    ...(Object.fromEntries(textAttributes.map((key) => [key, z.optional(z.string())])) as Record<
      (typeof textAttributes)[number],
      z.ZodMiniOptional<z.ZodMiniString>
    >),
    notes: z.optional(z.string()),
    portraitImageId: z.optional(z.string()),
    portraitStatus: z.enum(['NONE', 'QUEUED', 'RUNNING', 'READY', 'FAILED']),
    portraitError: z.optional(JobError),
    jobId: meta(z.optional(z.string()), { description: 'The portrait job, when one is under way' }),
    urls: z.optional(
      z.object({ original: z.string(), thumbnail: z.string(), display: z.optional(z.string()) }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  { id: 'Character' },
);

export const CharacterPage = page(Character, 'CharacterPage');

export const CharacterIdParams = z.object({ characterId: z.string().check(z.minLength(1), z.maxLength(64)) });

export const CharacterStats = meta(
  z.object({
    total: z.number().check(z.int()),
    withPortrait: z.number().check(z.int()),
    byGender: z.record(z.string(), z.number().check(z.int())),
    byAgeBracket: z.record(z.string(), z.number().check(z.int())),
    latest: z.nullable(z.object({ characterId: z.string(), name: z.string(), createdAt: Timestamp })),
  }),
  { id: 'CharacterStats' },
);

export const CharacterOptions = meta(
  z.object(Object.fromEntries(Object.keys(characterOptions).map((key) => [key, z.array(z.string())]))),
  { id: 'CharacterOptions' },
);
