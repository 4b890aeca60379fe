import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const requirementsFile = fileURLToPath(new URL('requirements.txt', import.meta.url));
export const defaultVenvDir = join(projectRoot, '.venv');

/** The path of an executable inside the virtualenv. */
export function venvBin(name: string, venvDir = defaultVenvDir) {
  return join(venvDir, 'bin', name);
}

/**
 * Makes sure the project-local virtualenv holds the pinned moto and returns its python.
 * The stamp file holds the requirements text the virtualenv was last installed from,
 * so an up-to-date virtualenv costs two file reads.
 */
export async function ensureVenv(options: { venvDir?: string } = {}): Promise<string> {
  const venvDir = options.venvDir ?? defaultVenvDir;
  const python = venvBin('python', venvDir);
  const stampFile = join(venvDir, '.easel-requirements');
  const requirements = await readFile(requirementsFile, 'utf8');
  const isCurrent = () => venvIsCurrent(venvDir);

  if (await isCurrent()) return python;
  return withLock(join(projectRoot, '.local', 'venv.lock'), async () => {
    // Another process may have finished the install while this one waited for the lock.
    if (await isCurrent()) return python;
    // A virtualenv made by hand (or before the stamp existed) is kept if its moto matches the pin.
    if (
      existsSync(venvBin('moto_server', venvDir)) &&
      (await motoVersion(python)) === pinnedMoto(requirements)
    ) {
      await writeFile(stampFile, requirements);
      return python;
    }
    console.error(`emulator: installing moto ${pinnedMoto(requirements) ?? ''} into ${venvDir}`);
    if (!existsSync(python)) await quietly('python3', ['-m', 'venv', venvDir]);
    await quietly(python, [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '-q',
      '-r',
      requirementsFile,
    ]);
    await writeFile(stampFile, requirements);
    return python;
  });
}

/** Whether the virtualenv already holds what requirements.txt pins (else a start installs it). */
export async function venvIsCurrent(venvDir = defaultVenvDir): Promise<boolean> {
  const requirements = await readFile(requirementsFile, 'utf8');
  return (
    existsSync(venvBin('moto_server', venvDir)) &&
    (await readFile(join(venvDir, '.easel-requirements'), 'utf8').catch(() => '')) === requirements
  );
}

function pinnedMoto(requirements: string) {
  return /^moto(?:\[[^\]]*\])?==(\S+)/m.exec(requirements)?.[1];
}

async function motoVersion(python: string) {
  try {
    const { stdout } = await run(python, ['-c', 'import importlib.metadata as m; print(m.version("moto"))']);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function quietly(command: string, args: string[]) {
  try {
    await run(command, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}${stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`emulator: \`${command} ${args.join(' ')}\` failed:\n${tail}`, { cause: error });
  }
}

const staleLockMs = 10 * 60_000;

/** Serialises installs between processes (parallel test workers start emulators at once). */
async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(join(lockDir, '..'), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed install would otherwise block every later run.
      const age = await stat(lockDir).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > staleLockMs) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
