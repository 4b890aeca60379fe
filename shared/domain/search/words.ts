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

/**
 * The words an image is found by: those of its prompt, title and description, and its
 * style as a word of its own (`styleWord`), so the style filter is a search like any other.
 */
export function imageSearchWords(image: {
  prompt?: string;
  title?: string;
  description?: string;
  style?: string;
}): string[] {
  const words = searchWords([image.prompt, image.title, image.description].filter(Boolean).join(' ')).slice(
    0,
    maxIndexedWords,
  );
  return image.style ? [...words, styleWord(image.style)] : words;
}

/** A style as an indexed word: the colon keeps it apart from every word people type (`searchWords` splits on it). */
export function styleWord(styleId: string): string {
  return `style:${styleId}`;
}

const isStyleWord = (word: string) => word.startsWith('style:');

/** A query word of this many letters or more also finds the longer words it begins. */
export const minPrefixLength = 3;
/**
 * Words are indexed under their beginnings up to this length; a longer query word is looked
 * up by its beginning of this length and checked against the whole words.
 */
export const maxPrefixLength = 8;

/**
 * The index terms of an image's words: each word's beginnings of 3 to 8 letters (the whole
 * word when it is shorter, so "light" finds "lighthouse"), a word of 2 letters and a style
 * word as they are. At most 6 per word.
 */
export function indexTerms(words: readonly string[]): string[] {
  const terms = new Set<string>();
  for (const word of words) {
    if (isStyleWord(word) || word.length < minPrefixLength) {
      terms.add(word);
      continue;
    }
    for (let length = minPrefixLength; length <= Math.min(word.length, maxPrefixLength); length++) {
      terms.add(word.slice(0, length));
    }
  }
  return [...terms];
}

/** The index term a query word is looked up by. */
export function queryTerm(word: string): string {
  return isStyleWord(word) || word.length < minPrefixLength ? word : word.slice(0, maxPrefixLength);
}

/**
 * What an entry's `text` (its image's words, each with a space before and after) must hold
 * for the query word to match: a style word or a short word whole, a longer word as the
 * beginning of one.
 */
export function matchText(word: string): string {
  return isStyleWord(word) || word.length < minPrefixLength ? ` ${word} ` : ` ${word}`;
}

/** The `text` an image's entries carry, which `matchText` is looked for in. */
export function entryText(words: readonly string[]): string {
  return ` ${words.join(' ')} `;
}
