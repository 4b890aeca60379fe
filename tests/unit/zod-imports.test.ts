import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Every TypeScript file that a function's bundle may hold: the handlers and the shared code. */
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/**
 * `import { z } from 'zod'` binds the whole of zod as one object, so esbuild keeps every part
 * of it, all its locales included (about 440 KB in a bundle); `import * as z from 'zod'` lets it
 * keep only what the code uses (about 95 KB). A type-only import costs nothing.
 */
describe('zod imports in bundled code', () => {
  const files = [...sources('functions'), ...sources('shared')];

  it('finds the handlers and the shared code', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain(path.join('shared', 'config.ts'));
  });

  it('imports zod as a namespace or for types only, never as the binding z or a default', () => {
    const offenders = files.filter((file) => {
      const source = readFileSync(path.join(root, file), 'utf8');
      return [...source.matchAll(/^import\s+(?!type\b)([^;]*?)\s+from\s+'zod(?:\/v4)?';/gm)].some(
        ([, clause]) => !/^\*\s+as\s+\w+$/.test(clause!.trim()),
      );
    });
    expect(offenders).toEqual([]);
  });
});
