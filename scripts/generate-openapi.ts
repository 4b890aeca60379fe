import { fileURLToPath } from 'node:url';
import { schemaDocument } from '../shared/http/openapi.ts';
import { encodeSchemaDocument } from '../shared/http/openapi-served.ts';
import { routeList } from '../shared/http/routes.ts';

/** The module the OpenAPI document's schema part is written to, for api-catalogue's bundle. */
export const schemaDocumentFile = fileURLToPath(
  new URL('../shared/http/openapi-schema-document.ts', import.meta.url),
);

/**
 * The text of shared/http/openapi-schema-document.ts: the part of the OpenAPI document the
 * routes' zod schemas make (`schemaDocument`), compressed, so that the function serving the
 * document carries neither zod-openapi nor every function's schemas.
 */
export function schemaDocumentModule(): string {
  return [
    '// Written by scripts/generate-openapi.ts from the route table (shared/http/routes.ts): do not edit.',
    '// `npm run generate` writes it again (`npm run build:web` does so first).',
    '',
    '/**',
    " * The OpenAPI document's part that the routes' zod schemas make (`schemaDocument` in ./openapi.ts),",
    ' * as JSON compressed with Brotli, in base64 (`decodeSchemaDocument` in ./openapi-served.ts reads',
    ' * it). `servedDocument` gives it the version, the configured settings and the examples.',
    ' */',
    'export const schemaDocumentEncoded =',
    `  '${encodeSchemaDocument(schemaDocument(routeList))}';`,
    '',
  ].join('\n');
}
