import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../shared/http/route.ts';
import { routeList } from '../../shared/http/routes.ts';

const routesDirectory = path.resolve(import.meta.dirname, '../../shared/http/routes');

describe('the route table', () => {
  it('gathers every function’s routes, and each function’s file holds only the routes it serves', async () => {
    const gathered: RouteDefinition[] = [];
    for (const file of readdirSync(routesDirectory).filter((name) => name.endsWith('.ts'))) {
      const { routes } = (await import(path.join(routesDirectory, file))) as {
        routes: Record<string, RouteDefinition>;
      };
      for (const route of Object.values(routes)) {
        expect(route.function, route.operationId).toBe(file.slice(0, -3));
        gathered.push(route);
      }
    }
    expect(new Set(routeList)).toEqual(new Set(gathered));
  });

  it('names every operation once', () => {
    const ids = routeList.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
