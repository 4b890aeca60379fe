import sharp, { type Metadata, type Sharp } from 'sharp';
import type { ImageFormat } from '../domain/images/image.ts';
import { maxInputPixels } from '../domain/limits.ts';
import type { ImageProcessor, PreparedImage } from '../domain/ports.ts';
import { InvalidImageError } from '../errors.ts';

const thumbnailWidth = 512;
/** The viewing copy's longest side: generated images (at most 1536 px) keep their size. */
const displayMaxSide = 2048;
/**
 * libwebp's effort (0–6; sharp's default is 4). At 2 a 1536×1024 photograph encodes in
 * about half the time of 4 for about 5 % more bytes (docs/capacity.md, "Image encoding").
 */
const webpEffort = 2;

const formats: Readonly<Record<string, ImageFormat>> = {
  png: 'png',
  jpeg: 'jpeg',
  jpg: 'jpeg',
  webp: 'webp',
};

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The header alone, read before any pixel is decoded: a small file may claim billions of
 * pixels (a decompression bomb), and is refused here for what it claims.
 */
async function header(bytes: Uint8Array): Promise<Metadata & { format: ImageFormat }> {
  let meta: Metadata;
  try {
    // The claimed size is checked below, with a message that says what was claimed.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new InvalidImageError(`The image could not be read: ${reason(error)}.`);
  }
  const format = formats[meta.format];
  if (!format || !meta.width || !meta.height) {
    throw new InvalidImageError(`The image could not be read as PNG, JPEG or WebP (${meta.format}).`);
  }
  if (meta.width * meta.height > maxInputPixels) {
    throw new InvalidImageError(
      `The image is ${meta.width}×${meta.height} pixels (${Math.round((meta.width * meta.height) / 1e6)} megapixels); at most ${maxInputPixels / 1e6} megapixels are accepted.`,
    );
  }
  return { ...meta, format };
}

/** Decodes upright; sharp's own pixel limit stays on as the backstop to the header check. */
const decode = (bytes: Uint8Array) => sharp(bytes, { limitInputPixels: maxInputPixels }).autoOrient();

/**
 * Runs the pipeline. Nothing of the input's metadata is written: sharp drops EXIF (with
 * GPS), XMP, IPTC and comments, and converts to sRGB without the ICC profile, unless told
 * to keep them, which Easel never does.
 */
async function encode(pipeline: Sharp, format: ImageFormat): Promise<PreparedImage> {
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height, format };
  } catch (error) {
    throw new InvalidImageError(`The image could not be decoded: ${reason(error)}.`);
  }
}

function reencode(pipeline: Sharp, format: ImageFormat): Sharp {
  if (format === 'jpeg') return pipeline.jpeg({ quality: 90 });
  if (format === 'webp') return pipeline.webp({ quality: 90 });
  return pipeline.png();
}

export const sharpImageProcessor: ImageProcessor = {
  async inspect(bytes) {
    const { width, height, format } = await header(bytes);
    return { width: width!, height: height!, format };
  },
  async thumbnail(bytes) {
    return decode(bytes)
      .resize({ width: thumbnailWidth, height: thumbnailWidth, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80, effort: webpEffort })
      .toBuffer();
  },
  async display(bytes) {
    return decode(bytes)
      .resize({ width: displayMaxSide, height: displayMaxSide, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82, effort: webpEffort })
      .toBuffer();
  },
  async normalize(bytes) {
    const { format } = await header(bytes);
    return encode(reencode(decode(bytes), format), format);
  },
  async editable(bytes) {
    await header(bytes);
    return encode(decode(bytes).ensureAlpha().png(), 'png');
  },
  async mask(bytes) {
    const { hasAlpha } = await header(bytes);
    if (!hasAlpha) {
      throw new InvalidImageError(
        'The mask has no alpha channel: it must be transparent where the image should change.',
        [{ field: 'mask', message: 'needs an alpha channel' }],
      );
    }
    return encode(decode(bytes).png(), 'png');
  },
};
