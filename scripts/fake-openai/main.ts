import { parseArgs } from 'node:util';
import { envFields } from '../../shared/config.ts';
import { startFakeOpenAI } from './server.ts';

const DEFAULT_PORT = 8711;

const { values } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' } },
  strict: true,
});
const rawPort = values.port ?? process.env.FAKE_OPENAI_PORT ?? String(DEFAULT_PORT);
const port = Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(
    `fake OpenAI provider: invalid port '${rawPort}' (use --port N or FAKE_OPENAI_PORT, 0 for any)`,
  );
  process.exit(2);
}

const provider = await startFakeOpenAI({
  port,
  host: values.host ?? process.env.FAKE_OPENAI_HOST,
  models: [
    envFields.IMAGE_MODEL.parse(process.env.IMAGE_MODEL),
    envFields.VISION_MODEL.parse(process.env.VISION_MODEL),
  ],
});
console.log(
  `fake OpenAI provider listening on ${provider.url} (no OPENAI_API_KEY set: images are drawn locally, descriptions are canned)`,
);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  await provider.close();
  console.log(`fake OpenAI provider stopped (${signal})`);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
