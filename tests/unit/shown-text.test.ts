import { describe, expect, it } from 'vitest';
import type { z } from 'zod/mini';
import { PatchProfileRequest, SignupRequest } from '../../shared/schemas/accounts.ts';
import { CreateCharacterRequest, PatchCharacterRequest } from '../../shared/schemas/characters.ts';
import { hasHiddenCharacters, shownText, singleLine } from '../../shared/schemas/fields.ts';
import { CreateGenerationRequest } from '../../shared/schemas/generation.ts';
import { CommentText, PatchImageRequest } from '../../shared/schemas/images.ts';

const hidden = {
  'right-to-left override': '\u202E',
  'left-to-right embedding': '\u202A',
  'pop directional formatting': '\u202C',
  'right-to-left isolate': '\u2067',
  'right-to-left mark': '\u200F',
  'Arabic letter mark': '\u061C',
  'zero-width space': '\u200B',
  'word joiner': '\u2060',
  'zero-width no-break space': '\uFEFF',
  'soft hyphen': '\u00AD',
  'Hangul filler': '\u3164',
  'tag letter': '\u{E0041}',
};

describe('text people read under someone’s name', () => {
  it.each(Object.entries(hidden))('refuses a %s', (_name, character) => {
    expect(hasHiddenCharacters(`invoice${character}fdp.exe`)).toBe(true);
    const result = shownText(singleLine(100)).safeParse(`Ada${character}`);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/invisible or text-direction/);
  });

  it('keeps every script, emoji with their joiners and variation selectors, and subdivision flags', () => {
    for (const text of [
      'Ada Lovelace',
      'Renée Ō’Brien-Łukasz',
      'مرحبا بالعالم',
      'שלום',
      'می\u200Cخواهم',
      '東京の夜',
      '👩\u200D👩\u200D👧 ❤\uFE0F',
      '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
    ]) {
      expect(hasHiddenCharacters(text), text).toBe(false);
    }
  });

  it('is checked on display names, bios, titles, comments and every character attribute, naming the field', () => {
    const field = (schema: z.ZodMiniType, value: unknown) => {
      const result = schema.safeParse(value);
      expect(result.success).toBe(false);
      return result.error!.issues.map((issue) => issue.path.join('.'));
    };
    expect(field(PatchProfileRequest, { displayName: 'Ada\u202E' })).toEqual(['displayName']);
    expect(field(PatchProfileRequest, { bio: 'hi\u200B' })).toEqual(['bio']);
    expect(field(PatchImageRequest, { title: 'gpj.\u202Eexe' })).toEqual(['title']);
    expect(field(CommentText, { text: 'nice\u2066' })).toEqual(['text']);
    expect(field(CreateCharacterRequest, { name: 'Mira\u200B' })).toEqual(['name']);
    expect(field(CreateCharacterRequest, { name: 'Mira', eyeColor: 'Hazel\u202E' })).toEqual(['eyeColor']);
    expect(field(CreateCharacterRequest, { name: 'Mira', notes: 'x\uFEFF' })).toEqual(['notes']);
    expect(field(PatchCharacterRequest, { clothing: 'coat\u2060' })).toEqual(['clothing']);
    expect(
      field(SignupRequest, { email: 'a@example.com', password: 'p', displayName: '\u202Eadmin' }),
    ).toEqual(['displayName']);
  });

  it('leaves prompts alone: what a model reads is the writer’s business', () => {
    expect(CreateGenerationRequest.safeParse({ prompt: 'a light\u200Bhouse \u202Eat dusk' }).success).toBe(
      true,
    );
  });
});
