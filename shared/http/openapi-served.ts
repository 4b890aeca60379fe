import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { sampleOf } from './openapi-examples.ts';

/**
 * The settings that bound what a request may ask for. They are configuration, so the document
 * takes them from the same config the functions validate against: a field whose schema carries
 * `meta(…, { fromConfig: 'sizes' })` (or `qualities`, `styles`, `maxImagesPerRequest`) is given
 * the configured enum or maximum.
 */
export interface DocumentSettings {
  readonly styles: readonly string[];
  readonly sizes: readonly string[];
  readonly qualities: readonly string[];
  readonly maxImagesPerRequest: number;
}

type Json = unknown;
type JsonObject = Record<string, Json>;
/** The document as JSON, with the fields every OpenAPI document has. */
export type OpenApiJson = JsonObject & { openapi: string; info: JsonObject; paths: JsonObject };
const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Gives each field marked `fromConfig` its configured enum or maximum (see DocumentSettings). */
function applySettings(node: Json, settings: DocumentSettings): void {
  if (Array.isArray(node)) {
    for (const item of node) applySettings(item, settings);
    return;
  }
  if (!isObject(node)) return;
  const from = node.fromConfig;
  if (typeof from === 'string') {
    delete node.fromConfig;
    if (from === 'maxImagesPerRequest') node.maximum = settings.maxImagesPerRequest;
    else if (from === 'sizes' || from === 'qualities' || from === 'styles') {
      node.enum = [...settings[from]];
      delete node.maxLength;
    } else if (from === 'sizesOrAuto') {
      node.enum = [...settings.sizes, 'auto'];
      delete node.maxLength;
    }
  }
  for (const value of Object.values(node)) applySettings(value, settings);
}

/** An example for every request body and every answer with a body that has none of its own. */
function addExamples(document: JsonObject): void {
  const components = (isObject(document.components) ? document.components.schemas : {}) as JsonObject;
  for (const item of Object.values(document.paths as JsonObject)) {
    for (const op of Object.values(item as JsonObject)) {
      if (!isObject(op)) continue;
      const contents: [JsonObject, boolean][] = [];
      const bodyContent = (op.requestBody as JsonObject | undefined)?.content as JsonObject | undefined;
      if (isObject(bodyContent?.['application/json'])) contents.push([bodyContent['application/json'], true]);
      for (const answer of Object.values((op.responses ?? {}) as JsonObject)) {
        const json = ((answer as JsonObject).content as JsonObject | undefined)?.['application/json'];
        if (isObject(json)) contents.push([json, false]);
      }
      for (const [content, requiredOnly] of contents) {
        if (content.example === undefined && content.schema !== undefined) {
          content.example = sampleOf(content.schema, components, { requiredOnly });
        }
      }
    }
  }
}

/**
 * The document as served: the routes' part (`schemaDocument`, built from the zod schemas)
 * given the version, the configured settings and an example for every body. Plain JSON work,
 * so the function that serves the document needs no zod to do it. `base` is not changed.
 */
export function servedDocument(base: OpenApiJson, version: string, settings: DocumentSettings): OpenApiJson {
  const document = structuredClone(base);
  document.info.version = version;
  applySettings(document, settings);
  addExamples(document);
  return document;
}

/**
 * The routes' part of the document as it is shipped in api-catalogue's bundle
 * (shared/http/openapi-schema-document.ts): JSON compressed with Brotli, in base64.
 */
export const encodeSchemaDocument = (document: OpenApiJson): string =>
  brotliCompressSync(JSON.stringify(document)).toString('base64');

export const decodeSchemaDocument = (encoded: string): OpenApiJson =>
  JSON.parse(brotliDecompressSync(Buffer.from(encoded, 'base64')).toString('utf8'));
