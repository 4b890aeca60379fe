import { crc32, createDeflate } from 'node:zlib';
import sharp from 'sharp';

/** A solid image of the given size and format; `alpha` gives it a transparent half. */
export async function solidImage(
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'webp' = 'png',
  options: { alpha?: boolean; colour?: string } = {},
): Promise<Buffer> {
  const base = sharp({
    create: {
      width,
      height,
      channels: options.alpha ? 4 : 3,
      background: options.colour ?? '#3366cc',
    },
  });
  if (!options.alpha) return base.toFormat(format).toBuffer();
  // The left half cut out (dest-out removes what the opaque overlay covers): where an edit may paint.
  const hole = await sharp({
    create: { width: Math.ceil(width / 2), height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } },
  })
    .png()
    .toBuffer();
  return base
    .composite([{ input: hole, left: 0, top: 0, blend: 'dest-out' }])
    .toFormat(format)
    .toBuffer();
}

/**
 * A JPEG as phones write them: GPS coordinates in its EXIF, and an orientation tag saying
 * "rotate 90°", so that the stored image must come out upright and without either.
 */
export async function jpegWithGps(width = 64, height = 32): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#cc6633' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Acme', Model: 'Pocket 9' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .toBuffer();
}

/** Whether EXIF data holds a GPS IFD pointer (tag 0x8825, in either byte order). */
export function hasGpsTag(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, checksum]);
}

/**
 * A valid PNG of `width`×`height` one-bit black pixels: a decompression bomb. It claims
 * (and really holds) billions of pixels in about a hundred kilobytes, because a row of
 * zeros deflates to almost nothing. Written row block by row block, so making it needs
 * no memory of its size.
 */
export async function pngBomb(width: number, height: number): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const row = Buffer.alloc(1 + Math.ceil(width / 8)); // filter byte, then the packed pixels
  const rowsPerBlock = 256;
  const block = Buffer.concat(Array.from({ length: rowsPerBlock }, () => row));
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  for (let y = 0; y < height; y += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, height - y);
    const written = deflate.write(rows === rowsPerBlock ? block : block.subarray(0, rows * row.length));
    if (!written) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.concat(parts)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A PNG of random noise about `bytes` long: noise does not compress, so its size is
 * (nearly) its pixels', and a "5 MB image" really is 5 MB of image.
 */
export async function noisePng(bytes: number, width = 1024): Promise<Buffer> {
  // Each row holds three bytes a pixel and one filter byte; the rest is a little framing.
  const height = Math.floor((bytes - 8192) / (width * 3 + 1));
  const pixels = Buffer.alloc(width * height * 3);
  for (let offset = 0; offset < pixels.length; offset += 65_536)
    globalThis.crypto.getRandomValues(pixels.subarray(offset, offset + 65_536));
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}
