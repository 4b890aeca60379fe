import { type ErrorDetail, ValidationError } from '../../errors.ts';

/** Settings decide sizes, qualities and counts, so they are checked here rather than in the schemas. */
export function oneOf(field: string, value: string, allowed: readonly string[]): ErrorDetail[] {
  return allowed.includes(value) ? [] : [{ field, message: `must be one of ${allowed.join(', ')}` }];
}

export function atMost(field: string, value: number, most: number): ErrorDetail[] {
  return value <= most ? [] : [{ field, message: `must be at most ${most}` }];
}

/** The request's problems as one refusal, each detail naming its field. */
export function throwIfInvalid(details: readonly ErrorDetail[]): void {
  if (details.length) {
    throw new ValidationError(
      `The request is not valid: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      details,
    );
  }
}
