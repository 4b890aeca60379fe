/**
 * How every function is bundled for Lambda: by the CDK (`NodejsFunction`, infra/constructs/
 * easel-function.ts) and by `npm run bench` (esbuild directly, to read what each bundle
 * carries) alike. The format is ESM; native modules stay outside the bundle.
 */
export const functionBundling = {
  target: 'node22',
  minify: true,
  sourceMap: true,
  // Positions are enough to map a stack trace; embedded sources would double the asset.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into ESM still call require().
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;
