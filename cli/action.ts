import { type Command, InvalidArgumentError } from 'commander';
import { Context } from './context.ts';
import type { Io } from './terminal.ts';

/** What the program runs against: real streams and environment, or a test's. */
export interface Dependencies {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A commander action as (context, positional arguments, options): commander passes the
 * arguments, then the command's options, then the command itself.
 */
export function action<Args extends unknown[], Options = Record<string, never>>(
  deps: Dependencies,
  run: (context: Context, args: Args, options: Options) => Promise<void>,
) {
  return async (...all: unknown[]) => {
    const command = all.at(-1) as Command;
    const options = all.at(-2) as Options;
    await run(Context.of(command, deps.io, deps.env), all.slice(0, -2) as Args, options);
  };
}

/** An option value that must be a whole number in a range; anything else is a usage error (exit 2). */
export function integer(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max)
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    return number;
  };
}

export function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value))
      throw new InvalidArgumentError(`must be one of ${values.join(', ')}.`);
    return value as T;
  };
}

/** Paging options shared by every listing. */
export function paged(command: Command): Command {
  return command
    .option('--limit <n>', 'items per page (1–50)', integer(1, 50))
    .option('--cursor <cursor>', 'the page after this cursor (nextCursor of the previous page)');
}
