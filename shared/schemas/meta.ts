import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini carries no messages of its own ("Invalid input" for everything): the English ones
// say what was expected, and shared/http/plain-issues.ts reads them.
z.config(en());

/**
 * The schema with metadata for the OpenAPI document (`id`, `example`, `pattern`, …): a copy of
 * it registered in zod's global registry, as zod's classic `.meta()` does, so the metadata of the
 * schema it was made from is inherited and the original is left as it was.
 */
export function meta<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, metadata);
  return copy;
}
