import { describe, expect, it } from 'vitest';
import * as listings from '../../shared/domain/listings.ts';
import { paged } from '../../shared/domain/paging.ts';
import type { PageKey } from '../../shared/domain/ports.ts';
import { BadCursorError } from '../../shared/errors.ts';
import { cursorCodec } from '../../shared/http/cursor.ts';

const cursors = cursorCodec('a secret of the tests');

/** A listing of 0..n-1 whose key is the last number read. */
function numbers(n: number) {
  const reads: { limit: number; startKey?: PageKey }[] = [];
  const list = async (options: { limit: number; startKey?: PageKey }) => {
    reads.push(options);
    const from = options.startKey ? Number(options.startKey.at) + 1 : 0;
    const items = Array.from({ length: Math.max(0, Math.min(options.limit, n - from)) }, (_, i) => from + i);
    const last = items.at(-1);
    return { items, ...(last !== undefined && last < n - 1 ? { lastKey: { at: last } } : {}) };
  };
  return { list, reads };
}

describe('paged', () => {
  it('walks a listing page by page with the cursor it gives, and ends with a null cursor', async () => {
    const { list } = numbers(5);
    const binding = listings.characters('alice');
    const first = await paged(binding, cursors, { limit: 2 }, list);
    expect(first.items).toEqual([0, 1]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await paged(binding, cursors, { limit: 2, cursor: first.nextCursor! }, list);
    expect(second.items).toEqual([2, 3]);
    const third = await paged(binding, cursors, { limit: 2, cursor: second.nextCursor! }, list);
    expect(third).toEqual({ items: [4], nextCursor: null });
  });

  it('refuses a cursor of another listing before reading anything', async () => {
    const { list, reads } = numbers(5);
    const alices = await paged(listings.characters('alice'), cursors, { limit: 2 }, list);
    reads.length = 0;
    await expect(
      paged(listings.characters('bob'), cursors, { limit: 2, cursor: alices.nextCursor! }, list),
    ).rejects.toBeInstanceOf(BadCursorError);
    await expect(
      paged(listings.comments('alice'), cursors, { limit: 2, cursor: alices.nextCursor! }, list),
    ).rejects.toBeInstanceOf(BadCursorError);
    await expect(
      paged(listings.likes('alice'), cursors, { limit: 2, cursor: 'garbage' }, list),
    ).rejects.toBeInstanceOf(BadCursorError);
    expect(reads).toEqual([]);
  });
});

describe('listings', () => {
  it('binds a cursor to its filters: another status, kind or search is another listing', () => {
    expect(listings.jobs('alice', 'QUEUED')).not.toBe(listings.jobs('alice', undefined));
    expect(listings.images('alice', 'edited')).not.toBe(listings.images('alice', 'generated'));
    const newest = { words: ['fox'], sort: 'newest', period: 'week', style: undefined };
    expect(listings.gallery(newest)).not.toBe(listings.gallery({ ...newest, words: ['cat'] }));
    // The period orders only the popular gallery: the newest one is the same listing whatever it says.
    expect(listings.gallery(newest)).toBe(listings.gallery({ ...newest, period: 'day' }));
    expect(listings.gallery({ ...newest, sort: 'popular' })).not.toBe(
      listings.gallery({ ...newest, sort: 'popular', period: 'day' }),
    );
  });
});
