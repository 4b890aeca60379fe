import { describe, expect, it } from 'vitest';
import {
  ApiError,
  describeWait,
  errorFromBody,
  fieldMessages,
  jobFailureMessage,
  plainMessage,
} from '../../web/src/api/errors.ts';

const now = new Date('2026-11-22T21:00:00Z');

describe('the words the gallery shows for API errors', () => {
  it('reads the error body, its field details, request id and Retry-After', () => {
    const error = errorFromBody(
      400,
      {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid: prompt: must not be empty',
          details: [{ field: 'prompt', in: 'body', message: 'must not be empty' }, 'junk'],
        },
        requestId: 'req-1',
      },
      null,
    );
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', requestId: 'req-1' });
    expect(fieldMessages(error)).toEqual({ prompt: 'Must not be empty.' });
    expect(plainMessage(error)).toBe(
      'Some of what you entered needs another look; see the notes beside the fields.',
    );
  });

  it('gives a status in words when the body is not the API’s', () => {
    expect(plainMessage(errorFromBody(502, '<html>', null, 'Bad Gateway'))).toBe(
      'The server answered 502 Bad Gateway.',
    );
  });

  it('says when the daily quota resets, from Retry-After', () => {
    const error = errorFromBody(
      429,
      {
        error: { code: 'QUOTA_EXCEEDED', message: 'You have used your 50 images for today' },
        requestId: 'r',
      },
      '10800',
    );
    expect(plainMessage(error, now, 'en-GB')).toBe(
      'You have used your 50 images for today. You can make images again in 3 hours (at 00:00).',
    );
  });

  it('counts a wait in hours and minutes, at least one minute', () => {
    expect(describeWait(3 * 3600 + 5 * 60, now, 'en-GB')).toBe('in 3 hours 5 minutes (at 00:05)');
    expect(describeWait(20, now, 'en-GB')).toBe('in 1 minute (at 21:00)');
  });

  it('says a route the server does not serve yet is not available, rather than "not found"', () => {
    expect(plainMessage(new ApiError(404, 'NOT_SERVED', 'No route GET /api/gallery.'))).toBe(
      'This part of Easel is not available on this server yet.',
    );
    // Told by its code, not its words.
    expect(plainMessage(new ApiError(404, 'NOT_FOUND', 'No route GET /api/gallery.'))).toBe(
      'No route GET /api/gallery.',
    );
    expect(plainMessage(new ApiError(404, 'NOT_FOUND', 'No such image.'))).toBe('No such image.');
  });

  it('explains a moderation block as the provider refusing the request, not counted against quota', () => {
    const words = jobFailureMessage({ code: 'MODERATION_BLOCKED', message: 'Your request was rejected' });
    expect(words).toContain('The image provider refused this request');
    expect(words).toContain('do not count against your quota');
  });
});
