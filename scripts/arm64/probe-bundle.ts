// Runs inside the arm64 Node (type stripping, no imports from the project) with the IPC channel
// open: loads one function asset as Lambda would and sends back what worked and how long it took.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type SharpModule = typeof import('sharp');

const assetDir = process.argv[2];
if (!assetDir || !process.send) {
  throw new Error('usage: probe-bundle.ts <asset dir>, spawned with an IPC channel');
}

const since = (start: number) => Math.round(performance.now() - start);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

// performance.now() counts from process start, so this is the emulated Node's own start-up.
const result: Record<string, unknown> = { arch: process.arch, node: process.version, bootMs: since(0) };

// The bundle keeps sharp external and requires it relative to index.mjs, as this does.
if (existsSync(join(assetDir, 'node_modules', 'sharp'))) {
  try {
    let start = performance.now();
    const sharp = createRequire(join(assetDir, 'index.mjs'))('sharp') as SharpModule;
    result.sharpLoadMs = since(start);
    result.sharp = `${sharp.versions.sharp} (libvips ${sharp.versions.vips})`;
    start = performance.now();
    const png = await sharp({
      create: { width: 1600, height: 1200, channels: 3, background: { r: 200, g: 80, b: 40 } },
    })
      .png()
      .toBuffer();
    // The product's thumbnail pipeline: decode upright with a pixel limit, fit in 512, webp.
    const webp = await sharp(png, { limitInputPixels: 40_000_000 })
      .autoOrient()
      .resize({ width: 512, height: 512, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    const meta = await sharp(webp).metadata();
    result.thumbnailMs = since(start);
    result.thumbnail = `${meta.format} ${meta.width}x${meta.height} ${webp.length} B`;
    if (meta.format !== 'webp' || meta.width !== 512) {
      result.sharpError = `unexpected thumbnail ${result.thumbnail}`;
    }
  } catch (error) {
    result.sharpError = message(error);
  }
}

// Without the template's environment the cold start is expected to stop at config; what matters
// here is that the module graph loads on arm64 and how long that takes.
const start = performance.now();
try {
  await import(pathToFileURL(join(assetDir, 'index.mjs')).href);
  result.importOutcome = 'loaded';
} catch (error) {
  result.importOutcome = message(error);
}
result.importMs = since(start);

process.send(result, () => process.disconnect());
