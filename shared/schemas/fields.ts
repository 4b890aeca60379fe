import * as z from 'zod/mini';
import { meta } from './meta.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/** The refusals of singleLine and multiLine as JSON Schema patterns, for the OpenAPI document. */
const noControls = '\\u0000-\\u001f\\u007f-\\u009f';
const noControlsButNewlines = '\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f';

/** Free text of one line: no control characters, so it cannot break a log line or a prompt. */
export function singleLine(max: number) {
  return meta(
    z.string().check(
      z.maxLength(max),
      z.refine(
        (value) => !controlCharacters.test(value),
        'must not contain control characters or line breaks',
      ),
    ),
    { pattern: `^[^${noControls}]*$` },
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const controlCharactersButNewlines = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Free text that may span lines, but carries no other control characters. */
export function multiLine(max: number) {
  return meta(
    z.string().check(
      z.maxLength(max),
      z.refine((value) => !controlCharactersButNewlines.test(value), 'must not contain control characters'),
    ),
    { pattern: `^[^${noControlsButNewlines}]*$` },
  );
}

/** Free text that may span lines and must say something: more than white space. */
export function nonBlank(max: number) {
  return meta(multiLine(max).check(z.refine((text) => text.trim().length > 0, 'must not be empty')), {
    minLength: 1,
    pattern: `^[^${noControlsButNewlines}]*[^\\s${noControlsButNewlines}][^${noControlsButNewlines}]*$`,
  });
}

/**
 * Characters that change the direction of the text around them or show nothing at all:
 * the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E–U+200F,
 * U+202A–U+202E, U+2066–U+2069), zero-width spaces and joiners that join nothing (U+200B,
 * U+2060–U+2064, U+FEFF, U+180E), the deprecated format characters (U+206A–U+206F),
 * annotation marks (U+FFF9–U+FFFB), the soft hyphen, the blank Hangul fillers a name can
 * hide behind, and tag characters (U+E0000–U+E007F, invisible ASCII). ZWJ and ZWNJ
 * (U+200D, U+200C) stay: emoji sequences and Persian and Indic writing need them.
 */
const hiddenCharacters =
  /[\u00ad\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;
/** The one legitimate use of tag characters: subdivision flags such as England's. */
const emojiTagSequences = /\u{1f3f4}[\u{e0020}-\u{e007e}]+\u{e007f}/gu;

/** Whether text holds characters that hide or reorder what a reader sees. */
export function hasHiddenCharacters(text: string): boolean {
  return hiddenCharacters.test(text.replace(emojiTagSequences, ''));
}

/**
 * Text that people read under someone's name (display names, bios, titles, comments,
 * character attributes): no characters that hide text or turn it around, so what a reader
 * sees is what was written ("txt.exe" cannot pose as "exe.txt").
 */
export function shownText<T extends z.ZodMiniString>(schema: T): T {
  return schema.check(
    z.refine(
      (text) => !hasHiddenCharacters(text),
      'must not contain invisible or text-direction characters (such as U+202E or U+200B)',
    ),
  );
}

/** E-mail addresses are usernames and compared without case. */
export const Email = meta(
  z.pipe(
    z.pipe(z.string().check(z.trim(), z.maxLength(254)), z.email('must be an e-mail address')),
    z.transform((value) => value.toLowerCase()),
  ),
  { override: { type: 'string', format: 'email', maxLength: 254 }, example: 'ada@example.com' },
);

export const Password = meta(z.string().check(z.minLength(1, 'is required'), z.maxLength(256)), {
  format: 'password',
});

export const DisplayName = shownText(singleLine(80)).check(z.trim(), z.minLength(1));

export const Timestamp = meta(z.iso.datetime(), { example: '2026-11-22T09:00:00.000Z' });

/** A prompt for an image model: what to draw, or how to change an image. */
export const Prompt = meta(nonBlank(4000), { example: 'a lighthouse on a cliff at dawn' });

/** An id in a path or a body: opaque, short. */
export const Id = z.string().check(z.minLength(1), z.maxLength(64));

/** A file of a multipart/form-data body, as the HTTP stack (shared/http/handler.ts) gives it. */
export interface MultipartFile {
  readonly filename: string;
  readonly mimetype: string;
  readonly content: Buffer;
}

/** A file field of a multipart body: its bytes (the file's name and declared type prove nothing). */
export const FileField = z.pipe(
  meta(
    z.custom<MultipartFile>(
      (value) =>
        typeof value === 'object' && value !== null && Buffer.isBuffer((value as MultipartFile).content),
      'must be one file',
    ),
    { override: { type: 'string', format: 'binary' } },
  ),
  z.transform((file): Uint8Array => file.content),
);

/** A yes/no field of a multipart body, where every value is text. */
export const FormBoolean = z.pipe(
  z.enum(['true', 'false']),
  z.transform((value) => value === 'true'),
);

const dataUri = /^data:[\w.+/-]*;base64,/;
const base64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Image bytes in JSON: bare base64, or a `data:image/…;base64,` URI as a browser makes one. */
export const Base64Image = meta(
  z.pipe(
    z.string().check(z.minLength(1)),
    z.transform((text, context): Uint8Array => {
      const payload = text.replace(dataUri, '').replace(/\s+/g, '');
      if (!payload || !base64.test(payload) || payload.length % 4 === 1) {
        context.issues.push({
          code: 'custom',
          message: 'must be base64, bare or as a data: URI',
          input: text,
        });
        return z.NEVER;
      }
      return Buffer.from(payload, 'base64');
    }),
  ),
  { description: 'The file, base64-encoded, bare or as a data: URI', format: 'byte' },
);
