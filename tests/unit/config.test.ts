import { describe, expect, it } from 'vitest';
import { parseConfig, requiredFields } from '../../shared/config.ts';

describe('requiredFields', () => {
  it('keeps the variables with neither a default nor optional', () => {
    expect(
      requiredFields(['TABLE_NAME', 'JWKS_URI', 'IMAGE_SIZES', 'OPENAI_TIMEOUT_MS', 'CURSOR_SECRET_ID']),
    ).toEqual(['TABLE_NAME', 'CURSOR_SECRET_ID']);
  });
});

describe('parseConfig', () => {
  it('fails on a missing secret id with its name', () => {
    expect(() => parseConfig(['TABLE_NAME', 'CURSOR_SECRET_ID'], { TABLE_NAME: 'easel' })).toThrow(
      'invalid configuration: CURSOR_SECRET_ID is not set',
    );
  });
});
