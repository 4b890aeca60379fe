/** Words shorter than this are too common to narrow a search. */
const minLength = 2;
const maxLength = 40;
/** An image is indexed under at most this many words, so sharing has a bounded cost. */
export const maxIndexedWords = 150;

/**
 * The normalised words of a text, as the search index keeps them: invisible characters
 * removed (zero-width spaces, direction marks and the like, which prompts may carry, so
 * "light\u200Bhouse" is found as "lighthouse"), lower case, accents removed (so "Café"
 * finds "cafe"), split on anything that is not a letter or digit, each word once, in order
 * of first appearance.
 */
export function searchWords(text: string): string[] {
  const words = text
    .replace(/\p{Default_Ignorable_Code_Point}+/gu, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= minLength && word.length <= maxLength);
  return [...new Set(words)];
}

/** The words an image is found by: those of its prompt, title and description. */
export function imageSearchWords(image: { prompt?: string; title?: string; description?: string }): string[] {
  return searchWords([image.prompt, image.title, image.description].filter(Boolean).join(' ')).slice(
    0,
    maxIndexedWords,
  );
}
