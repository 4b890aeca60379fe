import type { Page, PageKey } from '../ports.ts';

/** The inverted index of public images: one entry per index term (`indexTerms`) per image. */
export interface SearchIndex {
  /**
   * Indexes the image under `words` (its `imageSearchWords`; none takes it out), given the
   * words it was indexed under before. Every entry carries the whole new word list, so
   * entries of terms that stay are rewritten too; counts move only for terms that come or go.
   */
  set(imageId: string, words: readonly string[], previous: readonly string[]): Promise<void>;
  /**
   * Ids of the images that match every one of `words` (a word of 3 letters or more as the
   * beginning of one of theirs), newest first: the rarest word's entries, filtered by the others.
   */
  search(words: readonly string[], options: { limit: number; startKey?: PageKey }): Promise<Page<string>>;
}
