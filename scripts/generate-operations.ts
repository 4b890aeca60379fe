import { fileURLToPath } from 'node:url';
import { derivedErrors } from '../shared/http/openapi.ts';
import { liveSocketRoutes, routes } from '../shared/http/routes.ts';

/** The module the route table's operations are written to, for clients that must not carry zod. */
export const operationsFile = fileURLToPath(new URL('../shared/http/operations.ts', import.meta.url));

/**
 * The text of shared/http/operations.ts: each callable route's method, path template, auth and
 * the statuses the API documents for it (its own and those it gives because of what it is), as
 * plain data. The catch-alls (`ANY`) answer unknown paths and are no operation to call.
 */
export function operationsModule(): string {
  const lines = Object.entries(routes)
    .filter(([, route]) => route.method !== 'ANY')
    .map(([id, route]) => {
      const statuses = [
        ...new Set([...Object.keys(route.responses), ...Object.keys(derivedErrors(route))].map(Number)),
      ].sort((a, b) => a - b);
      const fields = [
        `method: '${route.method}'`,
        `path: '${route.path}'`,
        `auth: '${route.auth}'`,
        `statuses: [${statuses.join(', ')}]`,
      ];
      // As the formatter lays it out: on one line when it fits in 110 characters.
      const line = `  ${id}: { ${fields.join(', ')} },`;
      return line.length <= 110
        ? line
        : [`  ${id}: {`, ...fields.map((field) => `    ${field},`), '  },'].join('\n');
    });
  return [
    '// Written by scripts/generate-operations.ts from the route table (shared/http/routes.ts): do not edit.',
    '// `npm run generate` writes it again (`npm run build:web` does so first).',
    '',
    '/**',
    ' * Every operation of the HTTP API as data, with no schema, so that the web bundle calls the API by',
    ' * operation without carrying zod: its method, path template, auth and documented statuses.',
    ' */',
    'export const operations = {',
    ...lines,
    '} as const;',
    '',
    '/** The live-updates WebSocket (`liveSocketRoutes`), opened with a ticket of `createLiveTicket`. */',
    `export const liveSocketPath = '${liveSocketRoutes.path}';`,
    '',
  ].join('\n');
}
