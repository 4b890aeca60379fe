import type { RouteDefinition } from './route.ts';

function matcher(path: string) {
  const segments = path.split('/');
  const source = segments
    .map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return {
    pattern: new RegExp(`^${source}$`),
    variables: segments.filter((segment) => /^\{\w+\}$/.test(segment)).length,
  };
}

/**
 * The methods the route table declares for a concrete path (`/api/images/01J…`), in the
 * table's order; empty when no route has that path. The path is the most specific one that
 * matches, as in the OpenAPI document: `/api/characters/options` is not `/api/characters/{characterId}`.
 * API Gateway sends any other method on such a path to the `ANY /api/{proxy+}` catch-all,
 * which answers 405 with these in `Allow`.
 */
export function allowedMethods(
  routes: readonly Pick<RouteDefinition, 'method' | 'path'>[],
  path: string,
): string[] {
  const matching = routes
    .filter((route) => route.method !== 'ANY')
    .map((route) => ({ route, ...matcher(route.path) }))
    .filter(({ pattern }) => pattern.test(path));
  const fewest = Math.min(...matching.map(({ variables }) => variables));
  const best = matching.find(({ variables }) => variables === fewest)?.route.path;
  return [...new Set(matching.filter(({ route }) => route.path === best).map(({ route }) => route.method))];
}
