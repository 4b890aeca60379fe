import { fileTypeFromBuffer } from 'file-type/core';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors.ts';
import type { ImageFormat } from './image.ts';

const accepted: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};

/**
 * What the bytes are, judged by their magic numbers alone: a name, a declared type or a
 * header proves nothing. Only PNG, JPEG and WebP reach the decoder, which reads many more
 * formats than Easel wants to expose.
 */
export async function sniffImage(bytes: Uint8Array): Promise<ImageFormat> {
  // Only the first few kilobytes decide, and file-type bounds its own reads.
  const detected = await fileTypeFromBuffer(bytes);
  const format = detected && accepted[detected.mime];
  if (!format) {
    throw new UnsupportedMediaTypeError(
      `The file is not a PNG, JPEG or WebP image (its bytes look like ${detected ? detected.mime : 'no known image format'}).`,
    );
  }
  return format;
}

/** Refuses bytes over the limit, saying what to do instead. */
export function checkSize(bytes: Uint8Array, maxBytes: number, instead: string): void {
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(
      `The file is ${megabytes(bytes.length)} MB; at most ${megabytes(maxBytes)} MB can come this way. ${instead}`,
    );
  }
}

const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
