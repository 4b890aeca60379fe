import type { Image } from '../api/types.ts';

type Described = Pick<Image, 'kind' | 'status' | 'title' | 'prompt' | 'description'>;

const shortened = (text: string, most: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > most ? `${flat.slice(0, most - 1)}…` : flat;
};

/**
 * What an image is called, on its card and its page alike: its title, else what it was made
 * from. A portrait's prompt is the model's instructions, not words for people.
 */
export function imageTitle(image: Described): string {
  if (image.title) return image.title;
  if (image.status === 'FAILED' && image.kind === 'uploaded') return 'Refused upload';
  const text = (image.kind !== 'portrait' && image.prompt) || image.description;
  if (text) return shortened(text, 90);
  return image.kind === 'portrait' ? 'Character portrait' : 'Untitled image';
}

/** Alt text: the title, else the description, else what the image was made from. */
export function imageAlt(image: Described & Pick<Image, 'ownerName'>): string {
  const prompt = image.kind !== 'portrait' && image.prompt;
  const text =
    image.title ||
    image.description ||
    (prompt ? `Image made from the prompt: ${prompt}` : `Image by ${image.ownerName}`);
  return text.length > 250 ? `${text.slice(0, 249)}…` : text;
}
