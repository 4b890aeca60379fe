import type { Image } from '../api/types.ts';

type Settings = Pick<Image, 'prompt' | 'style' | 'size' | 'quality' | 'negativePrompt' | 'kind'>;

/** Whether an image was made from settings that Generate can take again. */
export function canRemix(image: Settings): boolean {
  return (image.kind === 'generated' || image.kind === 'edited') && !!image.prompt;
}

/** The Generate page filled with the settings an image was made with. */
export function remixHref(image: Settings): string {
  const search = new URLSearchParams();
  if (image.prompt) search.set('prompt', image.prompt);
  if (image.style) search.set('style', image.style);
  if (image.size) search.set('size', image.size);
  if (image.quality) search.set('quality', image.quality);
  if (image.negativePrompt) search.set('negativePrompt', image.negativePrompt);
  const text = search.toString();
  return text ? `/generate?${text}` : '/generate';
}

/** What a download is saved as when the server's own name cannot be read: the title or prompt. */
export function downloadName(image: Pick<Image, 'title' | 'prompt' | 'imageId' | 'contentType'>): string {
  const words = (image.title || image.prompt || image.imageId)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 80)
    .trim();
  const extension = { 'image/jpeg': 'jpg', 'image/webp': 'webp' }[image.contentType] ?? 'png';
  return `${words || image.imageId}.${extension}`;
}
