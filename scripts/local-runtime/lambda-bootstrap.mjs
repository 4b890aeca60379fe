// Lambda's Node.js runtime in miniature, run in a process of its own per function instance:
// the handler module is loaded once (the cold start), then invocations arrive one at a time
// over the IPC channel, as a Lambda execution environment takes them. Plain JavaScript, so
// that Lambda's own Node (arm64, under qemu) runs it beside a bundle as well as Node + tsx
// runs it beside the TypeScript sources.
import { pathToFileURL } from 'node:url';

const [moduleFile, exportName] = process.argv.slice(2);

/** An error as Lambda reports it: type, message and stack, never the object itself. */
function serialise(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, stack: error.stack };
  }
  return { errorType: 'Error', errorMessage: String(error) };
}

function send(message) {
  return new Promise((resolve) => process.send(message, undefined, undefined, () => resolve()));
}

let handler;
try {
  const module = await import(pathToFileURL(moduleFile).href);
  handler = module[exportName];
  if (typeof handler !== 'function') throw new Error(`${moduleFile} exports no function "${exportName}"`);
} catch (error) {
  await send({ type: 'init-error', error: serialise(error) });
  process.exit(1);
}

process.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  const { id, event, context, deadline } = message;
  const lambdaContext = {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const value = await handler(event, lambdaContext);
    await send({ type: 'result', id, value: value === undefined ? null : value });
  } catch (error) {
    await send({ type: 'result', id, error: serialise(error) });
  }
});

await send({ type: 'ready' });
