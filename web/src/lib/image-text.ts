import type { Image } from '../api/types.ts';

/** Alt text: the title, else the description, else what the image was made from. */
export function imageAlt(image: Pick<Image, 'title' | 'description' | 'prompt' | 'ownerName'>): string {
  const text =
    image.title ||
    image.description ||
    (image.prompt ? `Image made from the prompt: ${image.prompt}` : `Image by ${image.ownerName}`);
  return text.length > 250 ? `${text.slice(0, 249)}…` : text;
}

/** A short caption for a card. */
export function imageCaption(image: Pick<Image, 'title' | 'prompt' | 'description'>): string {
  const text = image.title || image.prompt || image.description || 'Untitled image';
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}
