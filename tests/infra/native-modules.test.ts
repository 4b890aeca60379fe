import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nativeModuleHooks, nativeModules } from '../../infra/constructs/easel-function.ts';
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

  it('are installed beside the bundle for Lambda’s linux-arm64 (glibc), at the version package.json pins', () => {
    const hooks = nativeModuleHooks(['sharp']);
    const [command] = hooks.afterBundling('/in', '/asset/out');
    expect(command).toMatch(/^npm install --prefix "\/asset\/out" /);
    expect(command).toContain('--os=linux --cpu=arm64 --libc=glibc');
    expect(command).toContain(`sharp@${sharpVersion}`);
    expect(nativeModuleHooks([]).afterBundling('/in', '/asset/out')).toEqual([]);
  });
});
