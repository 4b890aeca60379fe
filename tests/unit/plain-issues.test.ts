import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { plainIssue } from '../../shared/http/plain-issues.ts';
// zod's English messages, as the functions load them.
import '../../shared/schemas/meta.ts';

const messagesFor = (schema: z.ZodMiniType, value: unknown) =>
  schema.safeParse(value).error!.issues.map((issue) => plainIssue(issue));

describe('validation messages for people', () => {
  it.each([
    [
      'a text over its limit',
      z.string().check(z.maxLength(4000)),
      'x'.repeat(4001),
      'Use at most 4,000 characters.',
    ],
    ['an empty text', z.string().check(z.minLength(1)), '', 'Fill this in.'],
    [
      'a number under its least',
      z.coerce.number().check(z.minimum(0)),
      '-1',
      'Use a number no smaller than 0.',
    ],
    ['a number over its most', z.number().check(z.int(), z.maximum(4)), 5, 'Use a number no larger than 4.'],
    ['a missing field', z.object({ n: z.number() }), {}, 'Fill this in.'],
    ['a choice not on the list', z.enum(['low', 'high']), 'mid', 'Choose one of: low, high.'],
    ['an e-mail that is not one', z.email(), 'ada', 'Give an e-mail address, like ada@example.com.'],
  ])('rewrites zod’s words for %s', (_case, schema, value, words) => {
    expect(messagesFor(schema, value)).toEqual([words]);
  });

  it('keeps a schema’s own words', () => {
    expect(messagesFor(z.string().check(z.minLength(1, 'must not be empty')), '')).toEqual([
      'must not be empty',
    ]);
  });
});
