import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { plainIssue } from '../../shared/http/plain-issues.ts';

const messagesFor = (schema: z.ZodType, value: unknown) =>
  schema.safeParse(value).error!.issues.map((issue) => plainIssue(issue));

describe('validation messages for people', () => {
  it.each([
    ['a text over its limit', z.string().max(4000), 'x'.repeat(4001), 'Use at most 4,000 characters.'],
    ['an empty text', z.string().min(1), '', 'Fill this in.'],
    ['a number under its least', z.coerce.number().min(0), '-1', 'Use a number no smaller than 0.'],
    ['a number over its most', z.number().int().max(4), 5, 'Use a number no larger than 4.'],
    ['a missing field', z.object({ n: z.number() }), {}, 'Fill this in.'],
    ['a choice not on the list', z.enum(['low', 'high']), 'mid', 'Choose one of: low, high.'],
    ['an e-mail that is not one', z.email(), 'ada', 'Give an e-mail address, like ada@example.com.'],
  ])('rewrites zod’s words for %s', (_case, schema, value, words) => {
    expect(messagesFor(schema, value)).toEqual([words]);
  });

  it('keeps a schema’s own words', () => {
    expect(messagesFor(z.string().min(1, 'must not be empty'), '')).toEqual(['must not be empty']);
  });
});
