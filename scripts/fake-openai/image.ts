import { createHash } from 'node:crypto';
import sharp from 'sharp';

export type OutputFormat = 'png' | 'jpeg' | 'webp';

export interface DrawOptions {
  /** Picks the palette: the same text always gives the same colours. */
  seed: string;
  /** Picks the layout, so the n images of one request share colours but differ in shapes. */
  variant: number;
  width: number;
  height: number;
  transparent?: boolean;
  format?: OutputFormat;
}

type Rgb = readonly [number, number, number];

/** An endless, reproducible byte stream derived from the text (SHA-256 in counter mode). */
function byteStream(text: string): () => number {
  let block = Buffer.alloc(0);
  let counter = 0;
  let index = 0;
  return () => {
    if (index >= block.length) {
      block = createHash('sha256').update(`${counter++}:${text}`).digest();
      index = 0;
    }
    return block[index++]!;
  };
}

function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const sector = (hue % 360) / 60;
  const x = chroma * (1 - Math.abs((sector % 2) - 1));
  const [r, g, b] =
    sector < 1
      ? [chroma, x, 0]
      : sector < 2
        ? [x, chroma, 0]
        : sector < 3
          ? [0, chroma, x]
          : sector < 4
            ? [0, x, chroma]
            : sector < 5
              ? [x, 0, chroma]
              : [chroma, 0, x];
  const m = lightness - chroma / 2;
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/** Five colours spread around the hue circle from a start hue given by the seed. */
function palette(seed: string): Rgb[] {
  const next = byteStream(`palette:${seed}`);
  const baseHue = (next() / 256) * 360;
  const step = 50 + (next() / 256) * 100;
  return Array.from({ length: 5 }, (_, i) =>
    hslToRgb(baseHue + i * step, 0.55 + (next() / 256) * 0.35, 0.3 + (next() / 256) * 0.4),
  );
}

/** Images drawn lately, by their options: drawing and encoding a large one costs tens of ms. */
const drawn = new Map<string, Promise<Buffer>>();
const drawnKept = 32;

/**
 * Draws a diagonal two-colour gradient with rectangles and discs on top, all chosen from
 * hashes of the seed, and encodes it with sharp. Byte-identical for identical options, so
 * the last few images are kept and a request for one of them answers at once, as the
 * provider at zero latency should. Callers must not change the bytes they are given.
 */
export function drawImage(options: DrawOptions): Promise<Buffer> {
  const { seed, variant, width, height, transparent = false, format = 'png' } = options;
  const key = JSON.stringify([seed, variant, width, height, transparent, format]);
  const kept = drawn.get(key);
  if (kept) {
    // The most recently used last: the oldest goes first when the map is full.
    drawn.delete(key);
    drawn.set(key, kept);
    return kept;
  }
  const image = render({ seed, variant, width, height, transparent, format });
  drawn.set(key, image);
  image.catch(() => drawn.delete(key));
  if (drawn.size > drawnKept) drawn.delete(drawn.keys().next().value!);
  return image;
}

async function render(options: DrawOptions): Promise<Buffer> {
  const { width, height, transparent = false, format = 'png' } = options;
  const channels = transparent ? 4 : 3;
  const colours = palette(options.seed);
  const next = byteStream(`layout:${options.variant}:${options.seed}`);
  const pixels = Buffer.alloc(width * height * channels);

  const angle = (next() / 256) * 2 * Math.PI;
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const span = Math.abs(dx) * width + Math.abs(dy) * height || 1;
  const offset = Math.min(0, dx * width) + Math.min(0, dy * height);
  const [from, to] = [colours[0]!, colours[1]!];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x * dx + y * dy - offset) / span;
      const at = (y * width + x) * channels;
      pixels[at] = from[0] + (to[0] - from[0]) * t;
      pixels[at + 1] = from[1] + (to[1] - from[1]) * t;
      pixels[at + 2] = from[2] + (to[2] - from[2]) * t;
      // A transparent background keeps only the shapes visible, like a cut-out.
      if (transparent) pixels[at + 3] = 0;
    }
  }

  const shapes = 4 + (next() % 5);
  const shortSide = Math.min(width, height);
  for (let s = 0; s < shapes; s++) {
    const colour = colours[2 + (next() % 3)]!;
    const disc = next() % 2 === 0;
    const cx = (next() / 256) * width;
    const cy = (next() / 256) * height;
    const radius = shortSide * (0.08 + (next() / 256) * 0.22);
    const x0 = Math.max(0, Math.floor(cx - radius));
    const x1 = Math.min(width, Math.ceil(cx + radius));
    const y0 = Math.max(0, Math.floor(cy - radius));
    const y1 = Math.min(height, Math.ceil(cy + radius));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (disc && (x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) continue;
        const at = (y * width + x) * channels;
        pixels[at] = colour[0];
        pixels[at + 1] = colour[1];
        pixels[at + 2] = colour[2];
        if (transparent) pixels[at + 3] = 255;
      }
    }
  }

  const image = sharp(pixels, { raw: { width, height, channels } });
  if (format === 'jpeg') return image.jpeg({ quality: 90 }).toBuffer();
  if (format === 'webp') return image.webp({ quality: 90 }).toBuffer();
  return image.png().toBuffer();
}

export interface ImageFacts {
  format: string;
  width: number;
  height: number;
  opaque: boolean;
  /** Hex of sharp's dominant colour. */
  dominant: string;
  /** Colour names covering most of the picture, most frequent first. */
  tones: string[];
}

function colourName([r, g, b]: Rgb): string {
  const max = Math.max(r, g, b) / 255;
  const min = Math.min(r, g, b) / 255;
  const lightness = (max + min) / 2;
  const chroma = max - min;
  if (chroma < 0.12) return lightness < 0.2 ? 'black' : lightness > 0.85 ? 'white' : 'grey';
  let hue: number;
  if (max === r / 255) hue = (((g - b) / 255 / chroma) % 6) * 60;
  else if (max === g / 255) hue = ((b - r) / 255 / chroma + 2) * 60;
  else hue = ((r - g) / 255 / chroma + 4) * 60;
  if (hue < 0) hue += 360;
  const names: [number, string][] = [
    [15, 'red'],
    [45, 'orange'],
    [70, 'yellow'],
    [160, 'green'],
    [195, 'teal'],
    [255, 'blue'],
    [290, 'purple'],
    [335, 'pink'],
    [360, 'red'],
  ];
  const name = names.find(([limit]) => hue < limit)![1];
  if (name === 'orange' && lightness < 0.35) return 'brown';
  return name;
}

/** Real facts about an image for the canned vision answer; throws if sharp cannot decode it. */
export async function describeImage(bytes: Buffer): Promise<ImageFacts> {
  const image = sharp(bytes);
  const [metadata, stats, thumbnail] = await Promise.all([
    image.metadata(),
    image.stats(),
    sharp(bytes).resize(48, 48, { fit: 'fill' }).removeAlpha().raw().toBuffer(),
  ]);
  const counts = new Map<string, number>();
  for (let at = 0; at < thumbnail.length; at += 3) {
    const name = colourName([thumbnail[at]!, thumbnail[at + 1]!, thumbnail[at + 2]!]);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const pixels = thumbnail.length / 3;
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const tones = ranked.filter(([, count], i) => i === 0 || (i < 3 && count / pixels >= 0.15)).map(([n]) => n);
  const { r, g, b } = stats.dominant;
  return {
    format: metadata.format ?? 'unknown',
    width: metadata.width ?? 0,
    height: metadata.height ?? 0,
    opaque: stats.isOpaque,
    dominant: `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`,
    tones,
  };
}
