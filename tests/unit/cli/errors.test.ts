import { describe, expect, it } from 'vitest';
import { ApiError, CliError, reportError } from '../../../cli/errors.ts';

function capture() {
  let text = '';
  return {
    stream: {
      write: (chunk: string) => {
        text += chunk;
      },
    },
    text: () => text,
  };
}

describe('reportError', () => {
  it('prints an API error’s code, message and field details, and exits 1', () => {
    const out = capture();
    const code = reportError(
      new ApiError(400, 'VALIDATION_FAILED', 'The request is not valid.', [
        { field: 'size', message: 'must be one of 1024x1024' },
      ]),
      out.stream,
      false,
    );
    expect(code).toBe(1);
    expect(out.text()).toContain('error: VALIDATION_FAILED: The request is not valid.');
    expect(out.text()).toContain('size: must be one of 1024x1024');
  });

  it('tells how to log in again when the API refuses the token', () => {
    const out = capture();
    reportError(new ApiError(401, 'UNAUTHENTICATED', 'The token is not valid.'), out.stream, false);
    expect(out.text()).toContain('easel login');
  });

  it('prints no stack trace unless --debug', () => {
    const quiet = capture();
    expect(reportError(new Error('disk full'), quiet.stream, false)).toBe(1);
    expect(quiet.text()).toBe('error: disk full\n');
    const loud = capture();
    reportError(new Error('disk full'), loud.stream, true);
    expect(loud.text()).toMatch(/\n\s+at /);
  });

  it('keeps the exit code a CliError carries', () => {
    const out = capture();
    expect(reportError(new CliError('no terminal', 2), out.stream, false)).toBe(2);
  });
});
