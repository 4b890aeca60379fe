import type { Dependencies } from './action.ts';
import { exitCodes, reportError } from './errors.ts';
import { buildProgram } from './program.ts';

/** Runs one command line; answers the exit code (0 success, 1 failure, 2 usage). */
export async function main(
  argv: readonly string[],
  deps: Dependencies = { io: process, env: process.env },
): Promise<number> {
  const options = {
    debug: argv.includes('--debug') || deps.env.EASEL_DEBUG === '1',
    json: argv.includes('--json'),
  };
  try {
    await buildProgram(deps, options).parseAsync([...argv], { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, deps.io.stderr, options);
  }
}
