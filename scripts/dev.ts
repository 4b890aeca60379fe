import { envFields } from '../shared/config.ts';
import { startLocalStack } from './local-stack.ts';

const port = Number(process.env.PORT ?? 3000);
const log = (line: string) => console.log(`[easel] ${line}`);

// Function logs as Lambda writes them (JSON lines), each after its function's name.
const functionLog = (name: string, line: string) => console.log(`[${name}] ${line}`);

// Settings from this shell (QUOTA_PER_DAY=5, IMAGE_MODEL=…) reach the functions that read them and
// whose template leaves them to their defaults; a template's own values are never replaced.
const settings = Object.fromEntries(
  Object.keys(envFields).flatMap((name) =>
    process.env[name] === undefined ? [] : [[name, process.env[name]!]],
  ),
);

const stack = await startLocalStack({ port, log, functionLog, settings }).catch((error: unknown) => {
  console.error(`[easel] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

log(`ready: ${stack.url}  (API under ${stack.url}/api, OpenAPI at ${stack.url}/api/openapi.json)`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await stack.stop();
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
