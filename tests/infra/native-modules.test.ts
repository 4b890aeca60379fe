import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  lambdaNativeDirectory,
  lambdaPackagesOf,
  nativeModuleHooks,
  nativeModules,
} from '../../infra/constructs/easel-function.ts';
import { functionPermissions } from '../../infra/function-permissions.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const sharpVersion: string = (await import('../../package.json', { with: { type: 'json' } })).default
  .dependencies.sharp;

/** The native modules a function's bundle imports, found the way the CDK bundles it. */
async function nativeImportsOf(name: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [path.join(repoRoot, 'functions', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: [...nativeModules],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
  return [
    ...new Set(
      imports.filter((i) => i.external && nativeModules.includes(i.path as never)).map((i) => i.path),
    ),
  ];
}

describe('native modules', () => {
  it.each(Object.keys(functionPermissions))(
    '%s lists exactly the native modules its bundle imports',
    async (name) => {
      expect((await nativeImportsOf(name)).sort()).toEqual(
        [...(functionPermissions[name]!.nativeModules ?? [])].sort(),
      );
    },
  );

  it('come from infra/lambda-native’s lock at the version package.json pins, Lambda’s builds only', () => {
    expect(lambdaPackagesOf(['sharp'])).toEqual([
      '@img/colour',
      '@img/sharp-libvips-linux-arm64',
      '@img/sharp-linux-arm64',
      'detect-libc',
      'semver',
      'sharp',
    ]);
    const native = JSON.parse(readFileSync(path.join(lambdaNativeDirectory, 'package.json'), 'utf8'));
    expect(native.dependencies.sharp).toBe(sharpVersion);
  });

  it('are copied beside the bundle from the installed packages, with no npm install (no registry)', () => {
    const commands = nativeModuleHooks(['sharp']).afterBundling('/in', '/asset/out');
    expect(commands).toHaveLength(6);
    // npm is named only in the message of a missing install, never run.
    expect(commands.join('\n')).not.toMatch(/(^|&&|;)\s*npm /m);
    expect(commands).toContainEqual(
      expect.stringContaining(
        `cp -R "${lambdaNativeDirectory}/node_modules/@img/sharp-linux-arm64" "/asset/out/node_modules/@img/sharp-linux-arm64"`,
      ),
    );
    expect(nativeModuleHooks([]).afterBundling('/in', '/asset/out')).toEqual([]);
  });

  it('stop the bundling with what to run when infra/lambda-native is not installed', () => {
    const [command] = nativeModuleHooks(['sharp']).afterBundling('/in', '/asset/out');
    const missing = command!.replaceAll(lambdaNativeDirectory, '/nowhere');
    const result = spawnSync('bash', ['-c', missing], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('run npm ci');
  });
});
