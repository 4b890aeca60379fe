import { APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyProviderError, retryAfterSeconds } from '../../shared/adapters/openai-image-provider.ts';
import { ProviderRefusal, ProviderUnavailable } from '../../shared/domain/generation/provider-errors.ts';
import { retryDelaySeconds } from '../../shared/queue/sqs-worker.ts';

const apiError = (status: number, error: object, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error }, undefined, new Headers(headers));

describe('classifyProviderError', () => {
  it('makes a moderation block a final MODERATION_BLOCKED refusal with the provider’s words', () => {
    const classified = classifyProviderError(
      apiError(400, {
        message: 'Your request was rejected by the safety system.',
        type: 'image_generation_user_error',
        code: 'moderation_blocked',
      }),
    );
    expect(classified).toBeInstanceOf(ProviderRefusal);
    expect(classified).toMatchObject({
      code: 'MODERATION_BLOCKED',
      message: 'Your request was rejected by the safety system.',
    });
  });

  it('makes another 400 a final INVALID_REQUEST refusal', () => {
    expect(classifyProviderError(apiError(400, { message: 'Invalid size', param: 'size' }))).toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('makes a 429 worth retrying, after the provider’s retry-after', () => {
    const classified = classifyProviderError(
      apiError(429, { message: 'Rate limit' }, { 'retry-after': '7' }),
    );
    expect(classified).toBeInstanceOf(ProviderUnavailable);
    expect((classified as ProviderUnavailable).retryAfterSeconds).toBe(7);
  });

  it('makes 5xx, 401 and timeouts worth retrying', () => {
    expect(classifyProviderError(apiError(500, { message: 'oops' }))).toBeInstanceOf(ProviderUnavailable);
    expect(classifyProviderError(apiError(401, { message: 'bad key' }))).toBeInstanceOf(ProviderUnavailable);
    expect(classifyProviderError(new APIConnectionTimeoutError())).toBeInstanceOf(ProviderUnavailable);
  });

  it('leaves errors that are not the provider’s alone', () => {
    const error = new TypeError('bug');
    expect(classifyProviderError(error)).toBe(error);
  });
});

describe('retryAfterSeconds', () => {
  it('reads retry-after-ms, retry-after in seconds, and retry-after as a date', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500' }))).toBe(1.5);
    expect(retryAfterSeconds(new Headers({ 'retry-after': '20' }))).toBe(20);
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    expect(retryAfterSeconds(new Headers({ 'retry-after': inAMinute }))).toBeGreaterThan(50);
    expect(retryAfterSeconds(new Headers())).toBeUndefined();
  });
});

describe('retryDelaySeconds', () => {
  const policy = { baseSeconds: 10, maxSeconds: 600 };

  it('doubles with each receive, within ±20 % jitter', () => {
    expect(retryDelaySeconds(1, policy, undefined, 0.5)).toBe(10);
    expect(retryDelaySeconds(2, policy, undefined, 0.5)).toBe(20);
    expect(retryDelaySeconds(3, policy, undefined, 0.5)).toBe(40);
    expect(retryDelaySeconds(1, policy, undefined, 0)).toBe(8);
    expect(retryDelaySeconds(1, policy, undefined, 1)).toBe(12);
  });

  it('waits at least what the provider asked, and never past the cap', () => {
    expect(retryDelaySeconds(1, policy, 45, 0.5)).toBe(45);
    expect(retryDelaySeconds(10, policy, undefined, 0.5)).toBe(600);
    expect(retryDelaySeconds(1, policy, 3600, 0.5)).toBe(600);
  });
});
