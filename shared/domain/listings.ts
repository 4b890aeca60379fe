/*
 * The listing each cursor belongs to (its route, whose it is, its filters), one function
 * each. A cursor is sealed with its listing's binding, so one taken from another listing,
 * another user or other filters is refused rather than starting a query there. Imported as
 * a namespace (`listings.characters(ownerId)`), so a bundle keeps only those it uses.
 */

export const characters = (ownerId: string) => `characters:${ownerId}`;
export const comments = (imageId: string) => `comments:${imageId}`;
export const jobs = (ownerId: string, status: string | undefined) => `jobs:${ownerId}:${status ?? ''}`;
export const images = (ownerId: string, kind: string | undefined) => `images:${ownerId}:${kind ?? ''}`;
export const likes = (userId: string) => `likes:${userId}`;
export const userImages = (userId: string) => `user-images:${userId}`;
/** The words as searched (not as typed), the order, its period (popular order only) and the style. */
export const gallery = (request: {
  words: readonly string[];
  sort?: string;
  period?: string;
  style?: string;
}) =>
  `gallery:${request.words.join(' ')}:${request.sort}:${request.sort === 'popular' ? request.period : ''}:${request.style ?? ''}`;
