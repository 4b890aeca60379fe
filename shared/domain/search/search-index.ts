import type { Page, PageKey } from '../generation/ports.ts';

/** The inverted index of public images: one entry per normalised word per image. */
export interface SearchIndex {
  /**
   * Indexes the image under `words` (its `imageSearchWords`; none takes it out), given the
   * words it was indexed under before. Every entry carries the whole new word list, so
   * entries of words that stay are rewritten too; counts move only for words that come or go.
   */
  set(imageId: string, words: readonly string[], previous: readonly string[]): Promise<void>;
  /**
   * Ids of the images indexed under every one of `words`, newest first: the rarest word's
   * entries, filtered by the others.
   */
  search(words: readonly string[], options: { limit: number; startKey?: PageKey }): Promise<Page<string>>;
}
