import { join } from 'node:path';
import { ensureVenv, projectRoot, type VenvSpec } from './venv.ts';

/**
 * Schemathesis (pinned, from PyPI) in a virtualenv of its own, so that its dependencies
 * (hypothesis, jsonschema, …) never move moto's. Debian's python3 (3.11) runs it.
 */
export const schemathesisVenv: VenvSpec = {
  venvDir: join(projectRoot, '.venv-schemathesis'),
  requirementsFile: join(projectRoot, 'scripts', 'emulator', 'schemathesis-requirements.txt'),
  python: 'python3',
  distribution: 'schemathesis',
  marker: join('bin', 'schemathesis'),
};

/** Makes sure .venv-schemathesis holds the pinned Schemathesis; returns the path of its command. */
export async function ensureSchemathesisVenv(): Promise<string> {
  await ensureVenv({}, schemathesisVenv);
  return join(schemathesisVenv.venvDir, 'bin', 'schemathesis');
}
