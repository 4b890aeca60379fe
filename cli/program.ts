import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Dependencies } from './action.ts';
import { registerAdmin } from './commands/admin.ts';
import { registerAuth } from './commands/auth.ts';
import { registerCharacters } from './commands/characters.ts';
import { registerGeneration } from './commands/generation.ts';
import { registerImages } from './commands/images.ts';
import { registerProfiles } from './commands/profiles.ts';
import { defaultEndpoint } from './context.ts';

const { version } = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '..', 'package.json'), 'utf8'),
) as {
  version: string;
};

/** The whole command line. Commander throws instead of exiting, so `main` decides the exit code. */
export function buildProgram(deps: Dependencies, report: { readonly json: boolean }): Command {
  const program = new Command('easel')
    .description('Easel from the command line: generate, edit, upload and share images; operate a deployment')
    .version(version)
    .addOption(
      new Option(
        '--endpoint <url>',
        `the API's origin (default: --stack's SiteUrl, else ${defaultEndpoint})`,
      ).env('EASEL_ENDPOINT'),
    )
    .addOption(
      new Option('--stack <stage>', 'a deployment in AWS: the stacks Easel-<stage>-*').env('EASEL_STACK'),
    )
    .addOption(
      new Option('--local-stack <file>', 'the local stack file (default .local/stack.json)').env(
        'EASEL_LOCAL_STACK',
      ),
    )
    .option('--json', 'print JSON, for scripts')
    .option('--debug', 'print stack traces of errors')
    // Settings made before any command is added are inherited by every command.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => deps.io.stdout.write(text),
      writeErr: (text) => deps.io.stderr.write(text),
      // With --json, a usage error is printed once, as JSON, by `main`, without the help hint.
      ...(report.json ? { outputError: () => undefined } : {}),
    })
    .showHelpAfterError(report.json ? false : '(add --help for usage)')
    .exitOverride();

  registerAuth(program, deps);
  registerGeneration(program, deps);
  registerImages(program, deps);
  registerCharacters(program, deps);
  registerProfiles(program, deps);
  registerAdmin(program, deps);
  return program;
}
