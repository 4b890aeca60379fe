import { gzipSync } from 'node:zlib';
import type { OutputBundle, OutputChunk } from 'rollup';
import type { Plugin } from 'vite';

/** The most gzipped JavaScript the first page load may fetch. */
export const initialLoadBudgetBytes = 100 * 1024;

/**
 * The JavaScript a first visit loads: the entry chunk and every chunk it imports
 * statically. Chunks reached only through `import()` (pages loaded when opened) are not.
 */
export function initialChunks(bundle: OutputBundle): OutputChunk[] {
  const chunks = Object.values(bundle).filter((item): item is OutputChunk => item.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Set<string>();
  const visit = (chunk: OutputChunk | undefined) => {
    if (!chunk || seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const imported of chunk.imports) visit(byName.get(imported));
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk);
  return [...seen].map((fileName) => byName.get(fileName)!);
}

export function gzippedBytes(chunks: readonly OutputChunk[]): number {
  return chunks.reduce((total, chunk) => total + gzipSync(chunk.code, { level: 9 }).length, 0);
}

/** Fails the build when the first load's gzipped JavaScript is over the budget. */
export function initialLoadBudget(budgetBytes = initialLoadBudgetBytes): Plugin {
  return {
    name: 'easel-initial-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = initialChunks(bundle);
      const bytes = gzippedBytes(chunks);
      const kb = (value: number) => `${(value / 1024).toFixed(1)} KB`;
      const summary = `first load: ${kb(bytes)} of gzipped JavaScript in ${chunks.length} file(s), budget ${kb(budgetBytes)}`;
      if (bytes > budgetBytes) this.error(`${summary}: over budget`);
      this.info(summary);
    },
  };
}
