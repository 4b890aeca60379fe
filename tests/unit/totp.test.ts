import { describe, expect, it } from 'vitest';
import { totpAt } from '../support/totp.ts';

describe('the tests’ authenticator', () => {
  // RFC 6238, appendix B: the SHA-1 seed "12345678901234567890", 8 digits there, the last 6 here.
  const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('gives RFC 6238’s code at %i s', (seconds, code) => {
    expect(totpAt(seed, Math.floor(seconds / 30))).toBe(code);
  });
});
