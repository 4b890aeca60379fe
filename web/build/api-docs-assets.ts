import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const renderer = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Swagger UI's files that /api/docs loads (shared/http/api-docs.ts), with the bundle's licence. */
const files = ['swagger-ui-bundle.js', 'swagger-ui-bundle.js.LICENSE.txt', 'swagger-ui.css'];

/** Source maps are not shipped, so their references would only be requests that fail. */
const withoutSourceMap = (text: string) =>
  text.replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, '\n');

/**
 * Copies Swagger UI into the built gallery under `api-docs/`, so the API reference is served
 * from Easel's own origin (the web bucket behind CloudFront, or the local runtime's `/`)
 * and never from a CDN, and no API function's bundle carries it.
 */
export function apiDocsAssets(): Plugin {
  return {
    name: 'easel-api-docs-assets',
    apply: 'build',
    generateBundle() {
      for (const file of files) {
        const text = readFileSync(path.join(renderer, file), 'utf8');
        this.emitFile({
          type: 'asset',
          fileName: `api-docs/${file}`,
          source: file.endsWith('.txt') ? text : withoutSourceMap(text),
        });
      }
    },
  };
}
