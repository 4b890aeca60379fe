import type { Page, PageKey } from '../generation/ports.ts';

/** The inverted index of public images: one entry per normalised word per image. */
export interface SearchIndex {
  /** Indexes the image under these words (its `imageSearchWords`). */
  add(imageId: string, words: readonly string[]): Promise<void>;
  /** Takes the image out of the index; `words` are the ones it was added under. */
  remove(imageId: string, words: readonly string[]): Promise<void>;
  /**
   * Ids of the images indexed under every one of `words`, newest first: the rarest word's
   * entries, filtered by the others.
   */
  search(words: readonly string[], options: { limit: number; startKey?: PageKey }): Promise<Page<string>>;
}
