import { defineConfig } from 'vite';
import { apiDocsAssets } from './build/api-docs-assets.ts';
import { contentSecurityPolicyPlugin } from './build/content-security-policy.ts';
import { initialLoadBudget } from './build/initial-load-budget.ts';

export default defineConfig({
  root: import.meta.dirname,
  // Preact's JSX through esbuild: no Babel preset needed.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [contentSecurityPolicyPlugin(), initialLoadBudget(), apiDocsAssets()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/img': 'http://127.0.0.1:3000' } },
});
