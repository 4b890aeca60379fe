import { envFields } from '../shared/config.ts';
import { synthesizeLocalAssembly } from './assembly/cloud-assembly.ts';
import { buildGalleryIfStale, galleryIsStale } from './build-gallery.ts';
import { ensureVenv, venvIsCurrent } from './emulator/venv.ts';
import { startLocalStack } from './local-stack.ts';

const started = performance.now();
const log = (line: string) => console.log(`[easel] ${line}`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** One step of the start, said before it begins (with what it usually takes) and timed. */
async function step<T>(what: string, usually: string, work: () => Promise<T>): Promise<T> {
  log(`${what} (${usually})…`);
  const since = performance.now();
  const result = await work();
  log(`… done in ${seconds(since)}`);
  return result;
}

const port = Number(process.env.PORT ?? 3000);
// PORT alone moves the whole stack: the emulator then takes a free port instead of 4566.
const emulatorPort =
  process.env.EMULATOR_PORT !== undefined
    ? Number(process.env.EMULATOR_PORT)
    : process.env.PORT !== undefined
      ? 0
      : undefined;

// Function logs as Lambda writes them (JSON lines), each after its function's name.
const functionLog = (name: string, line: string) => console.log(`[${name}] ${line}`);

// Settings from this shell (QUOTA_PER_DAY=5, IMAGE_MODEL=…) reach the functions that read them and
// whose template leaves them to their defaults; a template's own values are never replaced.
const settings = Object.fromEntries(
  Object.keys(envFields).flatMap((name) =>
    process.env[name] === undefined ? [] : [[name, process.env[name]!]],
  ),
);

async function start() {
  log('starting Easel on this machine: the gallery, the CDK templates, the emulator, then every function');
  if (galleryIsStale()) {
    await step('building the gallery into web/dist (missing or older than web/)', 'a few seconds', () =>
      buildGalleryIfStale(),
    );
  }
  if (!process.env.AWS_ENDPOINT_URL && !(await venvIsCurrent())) {
    await step(
      'first start: installing the pinned moto emulator into .venv/ (once; pip downloads it)',
      'about a minute',
      () => ensureVenv(),
    );
  }
  const assembly = await step(
    'synthesizing the CDK app (templates only, into .local/assembly/)',
    'a few seconds',
    () => synthesizeLocalAssembly(),
  );
  log('starting the emulator, provisioning the templates in it and starting the functions (about 10 s)');
  return startLocalStack({ port, emulatorPort, assembly, log, functionLog, settings });
}

const stack = await start().catch((error: unknown) => {
  console.error(`[easel] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

log(
  `ready: ${stack.url}  (started in ${seconds(started)}; API under ${stack.url}/api, OpenAPI at ${stack.url}/api/openapi.json)`,
);

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
