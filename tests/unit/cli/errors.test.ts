import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ApiError, CliError, reportError } from '../../../cli/errors.ts';

const human = { debug: false, json: false };
const json = { debug: false, json: true };

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
      human,
    );
    expect(code).toBe(1);
    expect(out.text()).toContain('error: VALIDATION_FAILED: The request is not valid.');
    expect(out.text()).toContain('size: must be one of 1024x1024');
  });

  it('tells how to log in again when the API refuses the token', () => {
    const out = capture();
    reportError(new ApiError(401, 'UNAUTHENTICATED', 'The token is not valid.'), out.stream, human);
    expect(out.text()).toContain('easel login');
  });

  it('prints no stack trace unless --debug', () => {
    const quiet = capture();
    expect(reportError(new Error('disk full'), quiet.stream, human)).toBe(1);
    expect(quiet.text()).toBe('error: disk full\n');
    const loud = capture();
    reportError(new Error('disk full'), loud.stream, { debug: true, json: false });
    expect(loud.text()).toMatch(/\n\s+at /);
  });

  it('keeps the exit code a CliError carries', () => {
    const out = capture();
    expect(reportError(new CliError('no terminal', 2), out.stream, human)).toBe(2);
  });
});

describe('reportError with --json', () => {
  it('prints the API’s error object on one line, with the same exit code', () => {
    const out = capture();
    const details = [{ field: 'size', in: 'body', message: 'must be one of 1024x1024' }];
    const code = reportError(
      new ApiError(400, 'VALIDATION_FAILED', 'The request is not valid.', details, 'req-1'),
      out.stream,
      json,
    );
    expect(code).toBe(1);
    expect(out.text().trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(out.text())).toEqual({
      error: { code: 'VALIDATION_FAILED', message: 'The request is not valid.', details },
      requestId: 'req-1',
    });
  });

  it('gives the CLI’s own errors a code: USAGE for exit 2, FAILED for the rest, INTERNAL for the unexpected', () => {
    const cases = [
      [new CliError('A character needs a name: --name <name>.', 2), 2, 'USAGE'],
      [new CliError('You are not logged in.'), 1, 'FAILED'],
      [new Error('disk full'), 1, 'INTERNAL'],
      [new CommanderError(1, 'commander.unknownOption', "error: unknown option '--colour'"), 2, 'USAGE'],
    ] as const;
    for (const [error, exitCode, code] of cases) {
      const out = capture();
      expect(reportError(error, out.stream, json)).toBe(exitCode);
      const printed = JSON.parse(out.text());
      expect(printed.error.code).toBe(code);
      expect(printed.error.message).not.toMatch(/^error: /);
      expect(printed.error.stack).toBeUndefined();
    }
  });

  it('prints nothing for help, and adds the stack trace inside the JSON with --debug', () => {
    const help = capture();
    expect(
      reportError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), help.stream, json),
    ).toBe(0);
    expect(help.text()).toBe('');
    const loud = capture();
    reportError(new Error('disk full'), loud.stream, { debug: true, json: true });
    expect(JSON.parse(loud.text()).error.stack).toMatch(/\n\s+at /);
  });
});
