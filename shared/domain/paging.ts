import type { CursorCodec, Page, PageKey } from './ports.ts';

/** What a caller asks of a listing: how many, and where the last page ended. */
export interface PageQuery {
  readonly limit: number;
  readonly cursor?: string;
}

/** A page as the API answers it: its items and the cursor of the next page (null at the end). */
export interface Paged<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * One page of a listing: the cursor is opened against the listing's binding (one of
 * ./listings.ts; a bad or foreign cursor throws `BadCursorError` before anything is read),
 * the page is read from where it points, and its last key is sealed into the next cursor.
 */
export async function paged<T>(
  binding: string,
  cursors: CursorCodec,
  query: PageQuery,
  list: (options: { limit: number; startKey?: PageKey }) => Promise<Page<T>>,
): Promise<Paged<T>> {
  const startKey = cursors.decode(query.cursor, binding);
  const page = await list({ limit: query.limit, startKey });
  return { items: page.items, nextCursor: cursors.encode(page.lastKey, binding) };
}
