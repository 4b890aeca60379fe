import { CommanderError } from 'commander';

/** Exit codes scripts can rely on. */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure worth one plain sentence, not a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The API's own error answer: `{error:{code,message,details?},requestId}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly unknown[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Commander's own outcomes: help and version are successes, the rest are usage errors. */
function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return exitCodes.ok;
  // `easel` or `easel image` alone prints help as an error: a usage error all the same.
  if (error.code === 'commander.help') return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  return exitCodes.usage;
}

export interface ErrorOutput {
  write(text: string): unknown;
}

export interface ReportOptions {
  /** Adds stack traces (and the API's request id). */
  readonly debug: boolean;
  /** `--json`: the error as the API's error object, for scripts. */
  readonly json: boolean;
}

/**
 * Any error as the API's error object, `{error:{code,message,details?},requestId?}`: an API
 * error as the API sent it; the CLI's own under `USAGE` (exit 2), `FAILED` or `INTERNAL`.
 */
export function errorObject(error: unknown, debug = false) {
  const stack = debug && error instanceof Error && error.stack ? { stack: error.stack } : {};
  if (error instanceof ApiError) {
    return {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details.length ? { details: error.details } : {}),
        ...stack,
      },
      ...(error.requestId ? { requestId: error.requestId } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code =
    error instanceof CommanderError || (error instanceof CliError && error.exitCode === exitCodes.usage)
      ? 'USAGE'
      : error instanceof CliError
        ? 'FAILED'
        : 'INTERNAL';
  return { error: { code, message: message.replace(/^error: /, ''), ...stack } };
}

/**
 * Prints an error and answers the exit code: for a person, one sentence (Commander has
 * already printed its own usage messages, so those only set the code); with `--json`, the
 * error object on one line of stderr, so that stdout holds only results.
 */
export function reportError(error: unknown, stderr: ErrorOutput, options: ReportOptions): number {
  const exitCode =
    error instanceof CommanderError
      ? commanderExitCode(error)
      : error instanceof CliError
        ? error.exitCode
        : exitCodes.failure;
  if (options.json) {
    if (exitCode !== exitCodes.ok) stderr.write(`${JSON.stringify(errorObject(error, options.debug))}\n`);
    return exitCode;
  }
  if (error instanceof CommanderError) return exitCode;
  if (error instanceof ApiError) {
    stderr.write(`error: ${error.code}: ${error.message}\n`);
    for (const detail of error.details) stderr.write(`  ${formatDetail(detail)}\n`);
    if (error.status === 401 && error.code === 'UNAUTHENTICATED')
      stderr.write('Your login is no longer valid; log in again with: easel login\n');
    if (options.debug && error.requestId) stderr.write(`request id: ${error.requestId}\n`);
  } else {
    stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  if (options.debug && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return exitCode;
}

function formatDetail(detail: unknown): string {
  if (detail && typeof detail === 'object' && 'message' in detail) {
    const { field, message } = detail as { field?: unknown; message: unknown };
    const where = typeof field === 'string' && field ? `${field}: ` : '';
    return `${where}${String(message)}`;
  }
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}
