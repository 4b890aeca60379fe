import { z } from 'zod';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/** Free text of one line: no control characters, so it cannot break a log line or a prompt. */
export function singleLine(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters or line breaks');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const controlCharactersButNewlines = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Free text that may span lines, but carries no other control characters. */
export function multiLine(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => !controlCharactersButNewlines.test(value), 'must not contain control characters');
}

/** E-mail addresses are usernames and compared without case. */
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be an e-mail address'))
  .transform((value) => value.toLowerCase())
  .meta({ example: 'ada@example.com' });

export const Password = z.string().min(1, 'is required').max(256).meta({ format: 'password' });

export const DisplayName = singleLine(80).trim().min(1);

export const Timestamp = z.iso.datetime().meta({ example: '2026-11-22T09:00:00.000Z' });
