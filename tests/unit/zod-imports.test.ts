import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Every TypeScript file of the product: the handlers, the shared code and the CLI. */
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Each import of a zod module in a source: its clause, the module, and whether it is type-only. */
function zodImports(source: string) {
  return [...source.matchAll(/^import\s+(type\s+)?([^;]*?)\s+from\s+'(zod(?:\/[\w/-]+)?)';/gm)].map(
    ([, typeOnly, clause, module]) => ({
      typeOnly: Boolean(typeOnly),
      clause: clause!.trim(),
      module: module!,
    }),
  );
}

/**
 * zod's classic API (`zod`, `zod/v4`) gives every schema all its methods and its JSON Schema
 * converter, which esbuild cannot shake out: about 95 KB in every function. zod/mini is the same
 * core with functions in place of methods (`z.optional(x)`, `x.check(z.minLength(1))`), so a
 * bundle keeps only what its schemas use. `import { z }` would bind all of it as one object
 * whatever the module, so zod is imported as a namespace (or for types only). Its English
 * messages come from `zod/locales`, once (shared/schemas/meta.ts).
 */
describe('zod imports in the product', () => {
  const files = [...sources('functions'), ...sources('shared'), ...sources('cli')];
  const imports = files.map((file) => ({
    file,
    imports: zodImports(readFileSync(path.join(root, file), 'utf8')),
  }));

  it('finds the handlers, the shared code and the CLI, and their zod imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain(path.join('shared', 'config.ts'));
    expect(files).toContain(path.join('cli', 'work.ts'));
    expect(imports.filter((entry) => entry.imports.length > 0).length).toBeGreaterThan(20);
  });

  it('imports zod/mini, never classic zod', () => {
    const offenders = imports.filter((entry) =>
      entry.imports.some(({ module }) => module !== 'zod/mini' && module !== 'zod/locales'),
    );
    expect(offenders.map((entry) => entry.file)).toEqual([]);
  });

  it('imports zod/mini as a namespace or for types only, never as the binding z or a default', () => {
    const offenders = imports.filter((entry) =>
      entry.imports.some(
        ({ typeOnly, clause, module }) =>
          module === 'zod/mini' && !typeOnly && !/^\*\s+as\s+\w+$/.test(clause),
      ),
    );
    expect(offenders.map((entry) => entry.file)).toEqual([]);
  });

  it('takes from zod/locales the English messages only, in one place', () => {
    const locales = imports.flatMap((entry) =>
      entry.imports
        .filter(({ module }) => module === 'zod/locales')
        .map(({ clause }) => ({ file: entry.file, clause })),
    );
    expect(locales).toEqual([{ file: path.join('shared', 'schemas', 'meta.ts'), clause: '{ en }' }]);
  });
});
