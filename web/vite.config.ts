import { defineConfig } from 'vite';
import { contentSecurityPolicyPlugin } from './build/content-security-policy.ts';
import { initialLoadBudget } from './build/initial-load-budget.ts';

export default defineConfig({
  root: import.meta.dirname,
  // Preact's JSX through esbuild: no Babel preset needed.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [contentSecurityPolicyPlugin(), initialLoadBudget()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/img': 'http://127.0.0.1:3000' } },
});
