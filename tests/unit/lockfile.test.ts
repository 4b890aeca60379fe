import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFiles, missingOptionalEntries, platformOf } from '../../scripts/complete-lockfile.ts';

describe.each(
  lockFiles.map((file) => [path.relative(path.resolve(import.meta.dirname, '../..'), file), file]),
)('%s', (_name, file) => {
  it('records every optional platform package, so `npm ci` accepts it on a fresh machine', () => {
    const lock = JSON.parse(readFileSync(file, 'utf8'));
    // If this fails after a dependency change, run `npm run lock:complete`.
    expect(Object.keys(missingOptionalEntries(lock.packages))).toEqual([]);
  });
});

describe('platformOf', () => {
  it.each([
    ['@biomejs/cli-darwin-arm64', { os: ['darwin'], cpu: ['arm64'] }],
    ['@rollup/rollup-linux-arm-musleabihf', { os: ['linux'], cpu: ['arm'], libc: ['musl'] }],
    ['@rollup/rollup-linux-x64-gnu', { os: ['linux'], cpu: ['x64'], libc: ['glibc'] }],
    ['@img/sharp-linuxmusl-arm64', { os: ['linux'], cpu: ['arm64'], libc: ['musl'] }],
    ['@esbuild/win32-ia32', { os: ['win32'], cpu: ['ia32'] }],
  ])('reads the platform of %s from its name', (name, platform) => {
    expect(platformOf(name)).toEqual(platform);
  });

  it('adds a missing optional dependency next to where npm would look, marked optional', () => {
    const added = missingOptionalEntries({
      '': {},
      'node_modules/tool': {
        version: '1.0.0',
        optionalDependencies: { '@tool/darwin-arm64': '1.0.0', '@tool/linux-x64': '1.0.0' },
      },
      'node_modules/@tool/linux-x64': { version: '1.0.0', optional: true },
    });
    expect(added).toEqual({
      'node_modules/@tool/darwin-arm64': { version: '1.0.0', os: ['darwin'], cpu: ['arm64'], optional: true },
    });
  });
});
