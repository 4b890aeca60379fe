import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

const projectRoot = path.resolve(import.meta.dirname, '../..');
const loaded = new Map<string, Promise<LambdaHandler>>();

/**
 * Loads `functions/<name>.ts` once, as a warm Lambda container keeps its module: clients
 * and config created at module scope live across invocations.
 */
export function loadFunction(name: string): Promise<LambdaHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    const file = pathToFileURL(path.join(projectRoot, 'functions', `${name}.ts`)).href;
    handler = import(file).then((module: { handler?: LambdaHandler }) => {
      if (typeof module.handler !== 'function') throw new Error(`functions/${name}.ts exports no handler`);
      return module.handler;
    });
    // A module that fails to load (a bad config at cold start) is retried on the next call.
    handler.catch(() => loaded.delete(name));
    loaded.set(name, handler);
  }
  return handler;
}

/** Runs a handler with a deadline, as Lambda stops a function at its timeout. */
export async function invokeWithTimeout<T>(
  run: () => Promise<T>,
  timeoutMs: number,
  name: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
