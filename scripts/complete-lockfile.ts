/**
 * Records in package-lock.json the platform-specific optional packages (esbuild, sharp,
 * rollup and Biome binaries for other systems) that npm could not resolve here. The
 * package registry these machines use serves only the Linux builds, so npm leaves the
 * others out of the lock file, and `npm ci` then refuses the lock file as out of sync.
 * Each added entry is marked optional with the os/cpu/libc its name states, so every
 * platform skips the ones that are not its own, exactly as npm's own entries do.
 *
 * Run after changing dependencies: `npm install <pkg> && npm run lock:complete`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const oses = [
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'win32',
];
const cpus = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'mips64el', 'ppc64', 'riscv64', 's390x', 'wasm32'];

/** What a platform package's name says about where it runs, e.g. `@img/sharp-linuxmusl-arm64`. */
export function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> {
  const parts = name.split('/').pop()!.split('-');
  const os = parts.map((part) => part.replace(/musl$/, '')).find((part) => oses.includes(part));
  const arm32 = parts.includes('gnueabihf') || parts.includes('musleabihf');
  const cpu = arm32 ? 'arm' : parts.find((part) => cpus.includes(part));
  const musl = parts.some((part) => part === 'musl' || part === 'musleabihf' || part === 'linuxmusl');
  const glibc = parts.some((part) => part === 'gnu' || part === 'gnueabihf');
  return {
    ...(os ? { os: [os] } : {}),
    ...(cpu ? { cpu: [cpu] } : {}),
    ...(musl ? { libc: ['musl'] } : glibc ? { libc: ['glibc'] } : {}),
  };
}

/** Lock entries to add: each optional dependency that has no entry where npm would look for it. */
export function missingOptionalEntries(packages: Record<string, LockEntry>): Record<string, LockEntry> {
  const added: Record<string, LockEntry> = {};
  const has = (location: string) => location in packages || location in added;
  for (const [location, entry] of Object.entries(packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      // npm resolves a dependency from the parent's own node_modules upwards to the root.
      const candidates: string[] = [];
      let dir = location;
      for (;;) {
        candidates.push(dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`);
        if (!dir) break;
        const parent = dir.lastIndexOf('/node_modules/');
        dir = parent === -1 ? '' : dir.slice(0, parent);
      }
      if (candidates.some(has)) continue;
      const root = `node_modules/${name}`;
      added[has(root) ? candidates[0]! : root] = { version, ...platformOf(name), optional: true };
    }
  }
  return added;
}

/** Easel's lock files: the project's, and infra/lambda-native's (Lambda's native modules). */
export const lockFiles = ['package-lock.json', 'infra/lambda-native/package-lock.json'].map((file) =>
  path.resolve(import.meta.dirname, '..', file),
);

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  for (const file of lockFiles) {
    const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockEntry> };
    const added = missingOptionalEntries(lock.packages);
    lock.packages = Object.fromEntries(
      Object.entries({ ...lock.packages, ...added }).sort(([a], [b]) =>
        a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
      ),
    );
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
    console.log(
      `${path.relative(process.cwd(), file)}: recorded ${Object.keys(added).length} platform packages for other systems`,
    );
  }
}
