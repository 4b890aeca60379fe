import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { median } from './stats.ts';

const run = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, '../..');

/** Values that let every function's cold-start code run outside AWS (nothing is called). */
const coldStartEnv = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'bench',
  IMAGE_BUCKET: 'bench',
  JOBS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench',
  UPLOADS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-uploads',
  USER_POOL_ID: 'us-east-1_Bench1',
  USER_POOL_CLIENT_ID: 'bench',
  CDN_BASE_URL: 'https://bench.example',
  OPENAI_SECRET_ID: 'bench-openai',
  CURSOR_SECRET_ID: 'bench-cursor',
  ORIGIN_SECRET_ID: 'bench-origin',
  DISTRIBUTION_ID: 'EBENCH',
  LIVE_CONNECTIONS_URL: 'https://bench.execute-api.us-east-1.amazonaws.com/live',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/**
 * Answers every GetSecretValue with one value, so a cold start reads its secrets as it
 * does in Lambda (one round trip, counted in its time) without AWS.
 */
async function startSecretsManagerStub(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(JSON.stringify({ SecretString: 'bench-secret-0123456789abcdef' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function importMilliseconds(file: string, secretsUrl: string): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...coldStartEnv, AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl },
  });
  return Number(stdout.trim());
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** The floor DESIGN.md measures against: a bundle holding only the DynamoDB document client. */
async function sdkFloorBundle(dir: string): Promise<string> {
  const entry = path.join(dir, 'floor.mjs');
  await writeFile(
    entry,
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n",
  );
  const outfile = path.join(dir, 'floor-bundle', 'index.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    // As the function bundles: the SDK's CommonJS parts need `require` inside an ES module.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    nodePaths: [path.join(projectRoot, 'node_modules')],
  });
  return outfile;
}

export interface BundleFigure {
  readonly name: string;
  /** The minified bundle itself. */
  readonly bytes: number;
  /** Everything Lambda receives: the bundle, its source map, native modules. */
  readonly assetBytes?: number;
  readonly coldStartMs?: number;
  readonly note?: string;
}

/**
 * Synthesises the app (the exact bundles Lambda gets) and measures each function: its size
 * and the time to import it in a fresh Node process, the module-load part of a cold start.
 */
export async function measureBundles(
  samples = 5,
): Promise<{ floor: BundleFigure; functions: BundleFigure[] }> {
  const out = await mkdtemp(path.join(tmpdir(), 'easel-bench-'));
  const secrets = await startSecretsManagerStub();
  try {
    await run('npx', ['cdk', 'synth', '--quiet', '-c', 'stage=bench', '-c', 'gallery=skip', '-o', out], {
      cwd: projectRoot,
      maxBuffer: 64 * 1024 * 1024,
    });
    const templateFile = (await readdir(out)).find((name) => /Stateless.*\.template\.json$/.test(name))!;
    const template = JSON.parse(await readFile(path.join(out, templateFile), 'utf8')) as {
      Resources: Record<
        string,
        { Type: string; Properties?: { Description?: string }; Metadata?: Record<string, string> }
      >;
    };
    const functions: BundleFigure[] = [];
    for (const resource of Object.values(template.Resources)) {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      const name = /: (\S+)$/.exec(resource.Properties?.Description ?? '')?.[1];
      if (resource.Type !== 'AWS::Lambda::Function' || !assetPath || !name) continue;
      const dir = path.join(out, assetPath);
      const entry = path.join(dir, 'index.mjs');
      const figure = { name, bytes: (await stat(entry)).size, assetBytes: await directorySize(dir) };
      try {
        const times = [];
        for (let i = 0; i < samples; i++) times.push(await importMilliseconds(entry, secrets.url));
        functions.push({ ...figure, coldStartMs: median(times) });
      } catch (error) {
        const stderr = String((error as { stderr?: string }).stderr ?? error);
        const note = /sharp/.test(stderr)
          ? 'not loadable here: it carries sharp for linux-arm64 (Lambda), this machine is not'
          : `not loadable here: ${stderr.split('\n').find((line) => /Error/.test(line)) ?? 'see the synth output'}`;
        functions.push({ ...figure, note });
      }
    }
    const floorFile = await sdkFloorBundle(out);
    const floorTimes = [];
    for (let i = 0; i < samples; i++) floorTimes.push(await importMilliseconds(floorFile, secrets.url));
    const floor = {
      name: 'SDK floor (DynamoDB document client only)',
      bytes: (await stat(floorFile)).size,
      coldStartMs: median(floorTimes),
    };
    return { floor, functions: functions.sort((a, b) => a.name.localeCompare(b.name)) };
  } finally {
    await secrets.close();
    await rm(out, { recursive: true, force: true });
  }
}
