import sharp from 'sharp';
import type { ImageFacts, ImageProcessor } from '../domain/generation/ports.ts';

/** Decoding stops at this many pixels, so a decompression bomb cannot exhaust memory. */
export const maxInputPixels = 40_000_000;
const thumbnailWidth = 512;

export const sharpImageProcessor: ImageProcessor = {
  async inspect(bytes) {
    const meta = await sharp(bytes, { limitInputPixels: maxInputPixels }).metadata();
    const format = meta.format === 'jpg' ? 'jpeg' : meta.format;
    if (format !== 'png' && format !== 'jpeg' && format !== 'webp') {
      throw new Error(`unexpected image format ${meta.format}`);
    }
    return { width: meta.width!, height: meta.height!, format } satisfies ImageFacts;
  },
  async thumbnail(bytes) {
    return sharp(bytes, { limitInputPixels: maxInputPixels })
      .rotate()
      .resize({ width: thumbnailWidth, height: thumbnailWidth, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  },
};
