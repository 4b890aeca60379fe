import type { RouteDefinition } from './route.ts';

function pattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The methods the route table declares for a concrete path (`/api/images/01J…`), in the
 * table's order; empty when no route has that path. API Gateway sends any other method on
 * such a path to the `ANY /api/{proxy+}` catch-all, which answers 405 with these in `Allow`.
 */
export function allowedMethods(routes: readonly RouteDefinition[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ANY') continue;
    if (pattern(route.path).test(path)) methods.add(route.method);
  }
  return [...methods];
}
