import * as z from 'zod';
import { textAttributes } from '../domain/characters/attributes.ts';
import { characterOptions } from '../domain/characters/options.ts';
import { multiLine, shownText, singleLine, Timestamp } from './fields.ts';
import { JobError, page } from './generation.ts';

const Name = shownText(singleLine(120)).trim().min(1, 'must not be empty').meta({ example: 'Mira Okafor' });
const Age = z.number().int().min(0).max(1000).meta({ description: 'Years', example: 34 });
const Text = shownText(singleLine(120)).trim();
const Notes = shownText(multiLine(1000)).meta({
  description: 'The writer’s own notes; never part of the portrait prompt',
});

const textFields = Object.fromEntries(textAttributes.map((key) => [key, Text.optional()])) as Record<
  (typeof textAttributes)[number],
  z.ZodOptional<typeof Text>
>;
/** In a PATCH, null clears an attribute. */
const clearableTextFields = Object.fromEntries(
  textAttributes.map((key) => [key, Text.nullable().optional()]),
) as Record<(typeof textAttributes)[number], z.ZodOptional<z.ZodNullable<typeof Text>>>;

export const CreateCharacterRequest = z
  .strictObject({
    name: Name,
    age: Age.optional(),
    ...textFields,
    notes: Notes.optional(),
    generatePortrait: z.boolean().optional().meta({ description: 'Default true' }),
  })
  .meta({ id: 'CreateCharacterRequest' });

export const PatchCharacterRequest = z
  .strictObject({
    name: Name.optional(),
    age: Age.nullable().optional(),
    ...clearableTextFields,
    notes: Notes.nullable().optional(),
    regeneratePortrait: z
      .boolean()
      .optional()
      .meta({ description: 'Default: true when an attribute that is in the portrait prompt changed' }),
  })
  .meta({ id: 'PatchCharacterRequest' });

export const Character = z
  .object({
    characterId: z.string(),
    name: z.string(),
    age: z.number().int().optional(),
    ...(Object.fromEntries(textAttributes.map((key) => [key, z.string().optional()])) as Record<
      (typeof textAttributes)[number],
      z.ZodOptional<z.ZodString>
    >),
    notes: z.string().optional(),
    portraitImageId: z.string().optional(),
    portraitStatus: z.enum(['NONE', 'QUEUED', 'RUNNING', 'READY', 'FAILED']),
    portraitError: JobError.optional(),
    jobId: z.string().optional().meta({ description: 'The portrait job, when one is under way' }),
    urls: z
      .object({ original: z.string(), thumbnail: z.string(), display: z.string().optional() })
      .optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Character' });

export const CharacterPage = page(Character, 'CharacterPage');

export const CharacterIdParams = z.object({ characterId: z.string().min(1).max(64) });

export const CharacterStats = z
  .object({
    total: z.number().int(),
    withPortrait: z.number().int(),
    byGender: z.record(z.string(), z.number().int()),
    byAgeBracket: z.record(z.string(), z.number().int()),
    latest: z.object({ characterId: z.string(), name: z.string(), createdAt: Timestamp }).nullable(),
  })
  .meta({ id: 'CharacterStats' });

export const CharacterOptions = z
  .object(Object.fromEntries(Object.keys(characterOptions).map((key) => [key, z.array(z.string())])))
  .meta({ id: 'CharacterOptions' });
