import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const requirementsFile = fileURLToPath(new URL('requirements.txt', import.meta.url));
export const defaultVenvDir = join(projectRoot, '.venv');

/** A pinned Python environment: moto's (the default) or LocalStack's. */
export interface VenvSpec {
  readonly venvDir: string;
  readonly requirementsFile: string;
  /** The interpreter that creates the virtualenv. */
  readonly python: string;
  /** The distribution whose pinned version a hand-made virtualenv must hold to be kept. */
  readonly distribution: string;
  /** A file the installed distribution provides, relative to the virtualenv. */
  readonly marker: string;
}

const motoVenv: VenvSpec = {
  venvDir: defaultVenvDir,
  requirementsFile,
  python: 'python3',
  distribution: 'moto',
  marker: join('bin', 'moto_server'),
};

/** The path of an executable inside the virtualenv. */
export function venvBin(name: string, venvDir = defaultVenvDir) {
  return join(venvDir, 'bin', name);
}

/**
 * Makes sure the project-local virtualenv holds the pinned moto (or, given its spec,
 * LocalStack) and returns its python. The stamp file holds the requirements text the
 * virtualenv was last installed from, so an up-to-date virtualenv costs two file reads.
 */
export async function ensureVenv(
  options: { venvDir?: string } = {},
  spec: VenvSpec = motoVenv,
): Promise<string> {
  const venvDir = options.venvDir ?? spec.venvDir;
  const { requirementsFile, distribution } = spec;
  const python = venvBin('python', venvDir);
  const marker = join(venvDir, spec.marker);
  const stampFile = join(venvDir, '.easel-requirements');
  const requirements = await readFile(requirementsFile, 'utf8');
  const isCurrent = async () =>
    existsSync(marker) && (await readFile(stampFile, 'utf8').catch(() => '')) === requirements;

  if (await isCurrent()) return python;
  return withLock(join(projectRoot, '.local', `${basename(venvDir).replace(/^\./, '')}.lock`), async () => {
    // Another process may have finished the install while this one waited for the lock.
    if (await isCurrent()) return python;
    const pinned = pinnedVersion(requirements, distribution);
    // A virtualenv made by hand (or before the stamp existed) is kept if it holds the pinned version.
    if (existsSync(marker) && (await installedVersion(python, distribution)) === pinned) {
      await writeFile(stampFile, requirements);
      return python;
    }
    console.error(`emulator: installing ${distribution} ${pinned ?? ''} into ${venvDir}`);
    if (!existsSync(python)) await quietly(spec.python, ['-m', 'venv', venvDir]);
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

/** Whether the virtualenv already holds what its requirements pin (else a start installs it). */
export async function venvIsCurrent(spec: VenvSpec = motoVenv): Promise<boolean> {
  const requirements = await readFile(spec.requirementsFile, 'utf8');
  return (
    existsSync(join(spec.venvDir, spec.marker)) &&
    (await readFile(join(spec.venvDir, '.easel-requirements'), 'utf8').catch(() => '')) === requirements
  );
}

function pinnedVersion(requirements: string, distribution: string) {
  return new RegExp(`^${distribution}(?:\\[[^\\]]*\\])?==(\\S+)`, 'm').exec(requirements)?.[1];
}

async function installedVersion(python: string, distribution: string) {
  try {
    const { stdout } = await run(python, [
      '-c',
      `import importlib.metadata as m; print(m.version(${JSON.stringify(distribution)}))`,
    ]);
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
