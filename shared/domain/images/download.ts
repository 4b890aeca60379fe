import { ConflictError } from '../../errors.ts';
import type { ImageStore, ObjectStorage } from '../ports.ts';
import type { ImageRecord } from './image.ts';
import { getVisibleImage } from './image-queries.ts';

/** A download link is followed at once: a minute is plenty, and a leaked one soon stops working. */
export const downloadUrlSeconds = 60;

/** File names are kept short enough for every file system (255 bytes) with room for the extension. */
const maxNameLength = 80;

/**
 * The name a downloaded image is saved under: its title, else its prompt, made safe for
 * any file system and any browser: no path, no control or invisible format characters, no
 * characters Windows refuses, no leading dots, one space between words, at most 80 characters.
 */
export function downloadName(image: Pick<ImageRecord, 'title' | 'prompt' | 'originalKey'>): {
  readonly name: string;
  readonly extension: string;
} {
  const cleaned = [
    ...(image.title ?? image.prompt ?? '')
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
      .replace(/[/\\:*?"<>|]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^[.\s]+/, ''),
  ]
    .slice(0, maxNameLength)
    .join('')
    .replace(/[.\s]+$/, '');
  const extension = image.originalKey.slice(image.originalKey.lastIndexOf('.') + 1).toLowerCase();
  return { name: cleaned || 'image', extension: /^[a-z0-9]{1,5}$/.test(extension) ? extension : 'bin' };
}

/** RFC 5987's attr-char: what may stand unescaped in `filename*`. */
const encodeExtValue = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment; filename="…"`, with an ASCII-only fallback in `filename` (accents dropped,
 * other letters as `_`) and, when the name is not plain ASCII, the exact name in
 * `filename*=UTF-8''…` (RFC 6266), which browsers prefer.
 */
export function contentDisposition(file: { name: string; extension: string }): string {
  const ascii =
    file.name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/[%\\"]/g, '_')
      .trim() || 'image';
  const fallback = `${ascii}.${file.extension}`;
  const full = `${file.name}.${file.extension}`;
  return fallback === full
    ? `attachment; filename="${fallback}"`
    : `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(full)}`;
}

/**
 * A short-lived address that downloads the original of an image the caller may see (their
 * own, or a shared one) under a readable file name. Anyone else's private image is "not found".
 */
export async function downloadUrl(
  deps: { images: Pick<ImageStore, 'get'>; storage: ObjectStorage },
  viewerId: string | undefined,
  imageId: string,
): Promise<string> {
  const image = await getVisibleImage(deps.images, viewerId, imageId);
  if (image.status !== 'READY')
    throw new ConflictError('The image is not ready yet, so there is nothing to download.');
  return deps.storage.signedGetUrl(
    image.originalKey,
    downloadUrlSeconds,
    contentDisposition(downloadName(image)),
  );
}
