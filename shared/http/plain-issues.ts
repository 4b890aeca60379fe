import type { z } from 'zod/mini';

/** zod's own messages ("Too small: expected number to be >=0"); a schema's own words are kept. */
const zodDefault =
  /^(Too (big|small): expected|Invalid (input|option|type|value)|Invalid \w+( address)?$|Unrecognized key)/;

const amount = (value: number | bigint) => Number(value).toLocaleString('en-US');

/**
 * A validation issue in words for the person filling the field in (the field itself is
 * named beside it); zod's wording, meant for developers, stays in the detail's `reason`.
 */
export function plainIssue(issue: z.core.$ZodIssue): string {
  if (!zodDefault.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `Use at most ${amount(issue.maximum)} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `Give at most ${amount(issue.maximum)} of them.`;
      return `Use a number no larger than ${amount(issue.maximum)}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'Fill this in.'
          : `Use at least ${amount(issue.minimum)} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `Give at least ${amount(issue.minimum)} of them.`;
      return `Use a number no smaller than ${amount(issue.minimum)}.`;
    case 'invalid_type':
      if (issue.message.includes('received undefined')) return 'Fill this in.';
      return issue.expected === 'number' || issue.expected === 'int'
        ? 'Use a whole number.'
        : `Give ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`} here.`;
    case 'invalid_value':
      return `Choose one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_format':
      return issue.format === 'email'
        ? 'Give an e-mail address, like ada@example.com.'
        : 'This is not in the right form.';
    case 'unrecognized_keys':
      return `Leave out ${issue.keys.join(', ')}: this request does not take ${issue.keys.length === 1 ? 'it' : 'them'}.`;
    default:
      return 'This is not a value this request takes.';
  }
}
