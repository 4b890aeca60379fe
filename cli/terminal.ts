import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CliError } from './errors.ts';

/** The streams a command uses; tests pass their own. */
export interface Io {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A spinner on stderr while something is awaited. Only on a terminal: piped or logged
 * output stays free of control characters.
 */
export async function withSpinner<T>(io: Io, text: string, work: () => Promise<T>): Promise<T> {
  if (!io.stderr.isTTY) return work();
  let frame = 0;
  const draw = () => io.stderr.write(`\r${frames[frame++ % frames.length]} ${text}`);
  draw();
  const timer = setInterval(draw, 80);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    io.stderr.write('\r\u001b[2K');
  }
}

/** Asks one question on the terminal; a secret is read without echo. */
export async function ask(io: Io, question: string, options: { secret?: boolean } = {}): Promise<string> {
  if (!io.stdin.isTTY && options.secret)
    throw new CliError('No terminal to ask for the password on; pass --password (or EASEL_PASSWORD).', 2);
  const lines = createInterface({ input: io.stdin, output: io.stderr, terminal: Boolean(io.stdin.isTTY) });
  if (options.secret) {
    // readline echoes what it reads through _writeToOutput; muted, the password never shows.
    const muted = lines as unknown as { _writeToOutput: (text: string) => void };
    let prompted = false;
    muted._writeToOutput = (text: string) => {
      if (!prompted) {
        io.stderr.write(text);
        prompted = true;
      }
    };
  }
  try {
    return await new Promise<string>((resolve, reject) => {
      lines.question(question, resolve);
      lines.once('close', () => reject(new CliError('No answer given.', 2)));
    });
  } finally {
    if (options.secret) io.stderr.write('\n');
    lines.close();
  }
}

/** Rows as aligned columns, for people; `--json` is there for scripts. */
export function table(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
