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

/**
 * Prints an error for a person and answers the exit code. Commander has already printed
 * its own usage messages, so those only set the code.
 */
export function reportError(error: unknown, stderr: ErrorOutput, debug: boolean): number {
  if (error instanceof CommanderError) return commanderExitCode(error);
  if (error instanceof ApiError) {
    stderr.write(`error: ${error.code}: ${error.message}\n`);
    for (const detail of error.details) stderr.write(`  ${formatDetail(detail)}\n`);
    if (error.status === 401 && error.code === 'UNAUTHENTICATED')
      stderr.write('Your login is no longer valid; log in again with: easel login\n');
    if (debug && error.requestId) stderr.write(`request id: ${error.requestId}\n`);
  } else if (error instanceof CliError) {
    stderr.write(`error: ${error.message}\n`);
  } else {
    stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  if (debug && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return error instanceof CliError ? error.exitCode : exitCodes.failure;
}

function formatDetail(detail: unknown): string {
  if (detail && typeof detail === 'object' && 'message' in detail) {
    const { field, message } = detail as { field?: unknown; message: unknown };
    const where = typeof field === 'string' && field ? `${field}: ` : '';
    return `${where}${String(message)}`;
  }
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}
