import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import emulatorSetup from '../integration/support/global-setup.ts';

const root = path.resolve(import.meta.dirname, '../..');
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

/** The browser tests run against web/dist: build it when it is missing or older than its sources. */
function buildGalleryIfStale() {
  if (existsSync(builtPage) && statSync(builtPage).mtimeMs >= newestChange(web)) return;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', 'web', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`the gallery did not build:\n${result.stdout}\n${result.stderr}`);
}

/** The browser tests share the integration tests' emulator setup, after making sure the gallery is built. */
export default async function setup(project: TestProject) {
  buildGalleryIfStale();
  return emulatorSetup(project);
}
