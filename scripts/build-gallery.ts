import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'web');
const builtPage = path.join(web, 'dist', 'index.html');

function newestChange(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(entry)
      .filter((name) => name !== 'dist' && name !== 'node_modules')
      .map((name) => newestChange(path.join(entry, name))),
  );
}

/** Whether `web/dist` is missing or older than any of the gallery's sources. */
export function galleryIsStale(): boolean {
  return !existsSync(builtPage) || statSync(builtPage).mtimeMs < newestChange(web);
}

/**
 * Builds the gallery into `web/dist` with Vite when it is missing or older than its sources:
 * `web/index.html` itself loads `/src/main.tsx`, which no browser runs. Resolves to whether
 * it built.
 */
export async function buildGalleryIfStale(): Promise<boolean> {
  if (!galleryIsStale()) return false;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'build', 'web', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`the gallery did not build:\n${output.trim()}`);
  return true;
}
