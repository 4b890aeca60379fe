import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import ts from 'typescript';
import { functionBundling } from '../../infra/bundling.ts';
import { nativeModules } from '../../infra/constructs/easel-function.ts';
import { median } from './stats.ts';

const run = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, '../..');
/** Inside the project, so that a bundle's external native modules (sharp) resolve from node_modules. */
const workDirectory = path.join(projectRoot, '.local', 'bench-bundles');

/**
 * The third-party modules a function's floor is made of: the AWS SDK (clients, the document
 * client, the presigners; @smithy comes with them), Powertools (logger, metrics, tracer with
 * the X-Ray SDK, batch), the model client (openai), the byte sniffer (file-type) and the
 * native modules (sharp). Everything else in a bundle counts as what Easel adds: its own
 * code, the libraries of its HTTP stack and validation (zod, middy, aws-jwt-verify,
 * zod-openapi, ulid), and the clients it constructs at module scope.
 */
const floorPackages = ['openai', 'file-type', ...nativeModules];
export const floorModule = (specifier: string) =>
  specifier.startsWith('@aws-sdk/') ||
  specifier.startsWith('@aws-lambda-powertools/') ||
  floorPackages.some((name) => specifier === name || specifier.startsWith(`${name}/`));

export const floorModulesStated =
  'the AWS SDK (@aws-sdk/*), Powertools (@aws-lambda-powertools/*, with the X-Ray SDK), openai, file-type, sharp; and the Secrets Manager reads the function makes at cold start';

/** Values that let every function's cold-start code run outside AWS (nothing is called). */
const coldStartEnv = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'bench',
  IMAGE_BUCKET: 'bench',
  JOBS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench',
  UPLOADS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-uploads',
  ACCOUNTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-accounts',
  USER_POOL_ID: 'us-east-1_Bench1',
  USER_POOL_CLIENT_ID: 'bench',
  CDN_BASE_URL: 'https://bench.example',
  DISTRIBUTION_ID: 'EBENCH',
  OPENAI_SECRET_ID: 'bench-openai',
  CURSOR_SECRET_ID: 'bench-cursor',
  ORIGIN_SECRET_ID: 'bench-origin',
  LIVE_CONNECTIONS_URL: 'https://bench.execute-api.us-east-1.amazonaws.com/live',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/**
 * Answers every GetSecretValue with one value, so a cold start reads its secrets as it
 * does in Lambda (one round trip, counted in its time) without AWS; counts the reads.
 */
async function startSecretsManagerStub(): Promise<{
  url: string;
  reads: () => number;
  close: () => Promise<void>;
}> {
  let reads = 0;
  const server = createServer((request, response) => {
    reads++;
    request.resume().on('end', () => {
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(JSON.stringify({ SecretString: 'bench-secret-0123456789abcdef' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reads: () => reads,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The time to import `file` in a fresh Node process: the module-load part of a cold start. */
async function importMilliseconds(file: string, secretsUrl: string): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...coldStartEnv, AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl },
  });
  return Number(stdout.trim());
}

/** esbuild with the options the CDK bundles each function with (infra/bundling.ts). */
async function bundle(entry: string, outfile: string): Promise<{ bytes: number; metafile: Metafile }> {
  const options: BuildOptions = {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: functionBundling.target,
    minify: functionBundling.minify,
    sourcemap: functionBundling.sourceMap,
    sourcesContent: functionBundling.sourcesContent,
    mainFields: [...functionBundling.mainFields],
    banner: { js: functionBundling.banner },
    external: [...nativeModules],
    metafile: true,
    logLevel: 'error',
  };
  const metafile = (await build(options)).metafile!;
  const output =
    metafile.outputs[path.relative(process.cwd(), outfile)] ?? Object.values(metafile.outputs)[0]!;
  return {
    bytes: (await readFile(outfile)).length,
    metafile: { inputs: metafile.inputs, outputs: { main: output } },
  };
}

const isOwnSource = (input: string) => !input.includes('node_modules/');

/**
 * Every import of a floor module in Easel's own files that the function's bundle holds, as
 * written there (named, default, namespace, bare), gathered into one module that keeps each
 * imported binding alive: the floor is exactly the SDK surface the function imports.
 */
async function floorEntryOf(
  metafile: Metafile,
  coldStartSecretReads: number,
): Promise<{ source: string; modules: string[] }> {
  const inputs = Object.keys(metafile.outputs.main!.inputs).filter(isOwnSource);
  const lines: string[] = [];
  const kept: string[] = [];
  const modules = new Set<string>();
  let n = 0;
  for (const input of inputs) {
    const file = path.resolve(process.cwd(), input);
    const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const specifier = statement.moduleSpecifier.text;
      if (!floorModule(specifier)) continue;
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      modules.add(specifier);
      const quoted = JSON.stringify(specifier);
      if (!clause) {
        lines.push(`import ${quoted};`);
        continue;
      }
      if (clause.name) {
        const local = `f${n++}`;
        lines.push(`import ${local} from ${quoted};`);
        kept.push(local);
      }
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        const local = `f${n++}`;
        lines.push(`import * as ${local} from ${quoted};`);
        kept.push(local);
      } else if (bindings) {
        for (const element of bindings.elements) {
          if (element.isTypeOnly) continue;
          const local = `f${n++}`;
          lines.push(
            `import { ${(element.propertyName ?? element.name).getText(source)} as ${local} } from ${quoted};`,
          );
          kept.push(local);
        }
      }
    }
  }
  lines.push(`export default [${kept.join(', ')}];`);
  if (coldStartSecretReads > 0) {
    // The SDK's first calls are part of any cold start that makes them: the floor reads as
    // many secrets, together, through one client, as the function does.
    lines.push(
      "import { GetSecretValueCommand as s0, SecretsManagerClient as s1 } from '@aws-sdk/client-secrets-manager';",
      'const secrets = new s1({});',
      `await Promise.all(Array.from({ length: ${coldStartSecretReads} }, (_, i) => secrets.send(new s0({ SecretId: \`floor-\${i}\` }))));`,
    );
  }
  return { source: `${lines.join('\n')}\n`, modules: [...modules].sort() };
}

/** Bytes of the bundle by where they come from: a package, or a folder of Easel's own code. */
function contributors(metafile: Metafile): Map<string, number> {
  const byOrigin = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs.main!.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const origin = pkg ?? path.dirname(path.relative(projectRoot, path.resolve(process.cwd(), input)));
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytesInOutput);
  }
  return byOrigin;
}

export interface BundleFigure {
  readonly name: string;
  /** The floor modules the function imports (the floor bundle imports exactly these exports). */
  readonly floorModules: readonly string[];
  /** The secrets the function reads at cold start, counted at the stub; its floor reads as many. */
  readonly secretReads: number;
  readonly floorBytes: number;
  readonly bytes: number;
  readonly floorMs: number;
  readonly functionMs: number;
  readonly pairs: number;
  /** What the function's bundle carries beyond its floor's, largest first (bytes in the output). */
  readonly added: readonly { readonly origin: string; readonly bytes: number }[];
}

/** Each function's module load may be at most this many times its floor's… */
export const loadRatioTarget = 1.3;
/** …and its bundle at most this much larger than its floor bundle. */
export const extraBytesTarget = 150 * 1024;

/**
 * Bundles each function as the CDK does, and beside it a floor bundle of exactly the SDK
 * clients and other floor modules it imports; then imports floor and function alternately
 * in fresh Node processes (`pairs` of each, the order swapped every pair), so that both are
 * measured under the same load of this machine.
 */
export async function measureBundles(pairs = 10, only?: (name: string) => boolean): Promise<BundleFigure[]> {
  await rm(workDirectory, { recursive: true, force: true });
  await mkdir(workDirectory, { recursive: true });
  const secrets = await startSecretsManagerStub();
  try {
    const names = (await readdir(path.join(projectRoot, 'functions')))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.slice(0, -3))
      .filter((name) => only?.(name) ?? true)
      .sort();
    const figures: BundleFigure[] = [];
    for (const name of names) {
      const dir = path.join(workDirectory, name);
      const fn = await bundle(path.join(projectRoot, 'functions', `${name}.ts`), path.join(dir, 'index.mjs'));
      // One load first, not timed: it counts the secrets the function reads at cold start
      // (its floor reads as many), and warms the file cache for both bundles alike.
      const readsBefore = secrets.reads();
      await importMilliseconds(path.join(dir, 'index.mjs'), secrets.url);
      const secretReads = secrets.reads() - readsBefore;
      const entry = await floorEntryOf(fn.metafile, secretReads);
      const floorSource = path.join(dir, 'floor-entry.mjs');
      await writeFile(floorSource, entry.source);
      const floor = await bundle(floorSource, path.join(dir, 'floor', 'index.mjs'));

      const floorTimes: number[] = [];
      const functionTimes: number[] = [];
      for (let i = 0; i < pairs; i++) {
        const measureFloor = async () =>
          floorTimes.push(await importMilliseconds(path.join(dir, 'floor', 'index.mjs'), secrets.url));
        const measureFunction = async () =>
          functionTimes.push(await importMilliseconds(path.join(dir, 'index.mjs'), secrets.url));
        if (i % 2 === 0) {
          await measureFloor();
          await measureFunction();
        } else {
          await measureFunction();
          await measureFloor();
        }
      }
      const floorContributors = contributors(floor.metafile);
      const added = [...contributors(fn.metafile)]
        .map(([origin, bytes]) => ({ origin, bytes: bytes - (floorContributors.get(origin) ?? 0) }))
        .filter((entry) => entry.bytes > 0)
        .sort((a, b) => b.bytes - a.bytes);
      figures.push({
        name,
        floorModules: entry.modules,
        secretReads,
        floorBytes: floor.bytes,
        bytes: fn.bytes,
        floorMs: median(floorTimes),
        functionMs: median(functionTimes),
        pairs,
        added,
      });
    }
    return figures;
  } finally {
    await secrets.close();
  }
}
