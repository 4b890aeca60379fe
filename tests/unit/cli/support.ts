import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Dependencies } from '../../../cli/action.ts';
import { main } from '../../../cli/main.ts';

/** Runs the command line in-process with captured output and a config directory of its own. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const configHome = env.XDG_CONFIG_HOME ?? (await mkdtemp(path.join(tmpdir(), 'easel-cli-')));
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (chunk) => {
    stdout += chunk;
  });
  err.on('data', (chunk) => {
    stderr += chunk;
  });
  const deps: Dependencies = {
    io: { stdin: new PassThrough(), stdout: out, stderr: err },
    env: { XDG_CONFIG_HOME: configHome, ...env },
  };
  const code = await main(argv, deps);
  return { code, stdout, stderr, configHome };
}

export const configDir = (configHome: string) => path.join(configHome, 'easel');
