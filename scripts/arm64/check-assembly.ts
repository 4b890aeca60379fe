import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arm64Node } from './arm64-node.ts';

// Loads every Node function asset of a synthesized assembly on arm64 Node 22 under qemu-user:
// sharp where it is shipped (load and a webp thumbnail), then the handler module up to its config
// check. Usage: npx tsx scripts/arm64/check-assembly.ts [assembly dir, default cdk.out]

const probe = fileURLToPath(new URL('probe-bundle.ts', import.meta.url));
const probeTimeoutMs = 120_000;

interface ProbeResult {
  arch?: string;
  node?: string;
  bootMs?: number;
  sharpLoadMs?: number;
  sharp?: string;
  thumbnailMs?: number;
  thumbnail?: string;
  sharpError?: string;
  importOutcome?: string;
  importMs?: number;
}

interface LambdaResource {
  Type: string;
  Properties?: { Runtime?: string; Code?: { S3Key?: unknown } };
}

const assemblyDir = resolve(process.argv[2] ?? 'cdk.out');
const node = arm64Node();

async function nodeFunctions(dir: string) {
  const found: { name: string; assetDir: string }[] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.template.json')).sort()) {
    const template = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
      Resources?: Record<string, LambdaResource>;
    };
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      const key = resource.Properties?.Code?.S3Key;
      if (resource.Type !== 'AWS::Lambda::Function' || !resource.Properties?.Runtime?.startsWith('nodejs')) {
        continue;
      }
      // A file asset is staged as asset.<hash> and uploaded as <hash>.zip.
      if (typeof key !== 'string' || !key.endsWith('.zip')) throw new Error(`${id}: no asset key in ${file}`);
      found.push({ name: id, assetDir: join(dir, `asset.${key.slice(0, -'.zip'.length)}`) });
    }
  }
  return found;
}

function runProbe(assetDir: string) {
  return new Promise<{ result?: ProbeResult; wallMs: number; stderr: string; exit: string }>((done) => {
    const started = performance.now();
    const child = spawn(node.command, [...node.args, probe, assetDir], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let result: ProbeResult | undefined;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('message', (message) => {
      result = message as ProbeResult;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), probeTimeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ result, wallMs: Math.round(performance.now() - started), stderr, exit: signal ?? String(code) });
    });
  });
}

const functions = await nodeFunctions(assemblyDir);
if (functions.length === 0) throw new Error(`no Node functions in ${assemblyDir}`);
console.log(
  `${functions.length} functions in ${assemblyDir}, run by ${[node.command, ...node.args].join(' ')}`,
);

let failures = 0;
for (const { name, assetDir } of functions) {
  const { result, wallMs, stderr, exit } = await runProbe(assetDir);
  const problems: string[] = [];
  if (!existsSync(join(assetDir, 'index.mjs'))) problems.push('no index.mjs');
  if (!result) problems.push(`no result (exit ${exit}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  else {
    if (result.arch !== 'arm64') problems.push(`ran as ${result.arch}`);
    if (result.sharpError) problems.push(`sharp: ${result.sharpError}`);
    // Without its environment a handler stops at its config check; anything else is a real failure.
    if (result.importOutcome !== 'loaded' && !result.importOutcome?.startsWith('invalid configuration')) {
      problems.push(`import: ${result.importOutcome}`);
    }
  }
  const sharp = result?.sharp
    ? `sharp ${result.sharp} load ${result.sharpLoadMs} ms, ${result.thumbnail} in ${result.thumbnailMs} ms`
    : 'no sharp';
  console.log(
    `${problems.length ? 'FAIL' : 'ok  '} ${name}: start ${result?.bootMs ?? '?'} ms, ${sharp}, ` +
      `import ${result?.importMs ?? '?'} ms, total ${wallMs} ms`,
  );
  for (const problem of problems) console.log(`       ${problem}`);
  if (problems.length) failures += 1;
}
if (failures) {
  console.error(`${failures} of ${functions.length} functions failed on arm64`);
  process.exitCode = 1;
}
