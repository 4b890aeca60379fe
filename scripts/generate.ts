import { writeFileSync } from 'node:fs';
import { schemaDocumentFile, schemaDocumentModule } from './generate-openapi.ts';
import { operationsFile, operationsModule } from './generate-operations.ts';

/**
 * `npm run generate`: writes the modules made from the route table, in one process (each takes
 * the whole table): the operations for the clients, the OpenAPI document's schema part for
 * api-catalogue. Unit tests fail when either is out of date.
 */
for (const [file, text] of [
  [operationsFile, operationsModule()],
  [schemaDocumentFile, schemaDocumentModule()],
] as const) {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
