import { describe, expect, it } from 'vitest';
import {
  galleryApiParams,
  galleryHref,
  galleryKey,
  readGalleryQuery,
} from '../../web/src/lib/gallery-query.ts';

const read = (search: string) => readGalleryQuery(new URLSearchParams(search));

describe('the gallery view in its address', () => {
  it('reads the plain gallery as newest first, every style, no words', () => {
    expect(read('')).toEqual({ q: '', sort: 'newest', period: 'week', style: '' });
  });

  it('reads popular with its period and a style', () => {
    expect(read('?sort=popular&period=day&style=anime')).toEqual({
      q: '',
      sort: 'popular',
      period: 'day',
      style: 'anime',
    });
  });

  it('falls back to defaults for values it does not know, rather than sending them on', () => {
    expect(read('?sort=oldest&period=year&style=%3Cscript%3E')).toEqual({
      q: '',
      sort: 'newest',
      period: 'week',
      style: '',
    });
    expect(read('?sort=popular').period).toBe('week');
  });

  it('writes each view at one address, leaving defaults out', () => {
    expect(galleryHref({})).toBe('/');
    expect(galleryHref({ sort: 'newest', period: 'day', style: '' })).toBe('/');
    expect(galleryHref({ sort: 'popular', period: 'week', style: 'anime' })).toBe(
      '/?sort=popular&period=week&style=anime',
    );
    expect(galleryHref({ sort: 'popular' })).toBe('/?sort=popular&period=week');
    expect(galleryHref({ q: '  copper  lighthouse ', style: 'oil-painting' })).toBe(
      '/?q=copper++lighthouse&style=oil-painting',
    );
  });

  it('restores from its address exactly what it wrote there', () => {
    for (const view of [
      { q: '', sort: 'popular', period: 'all', style: 'watercolor' },
      { q: 'boats', sort: 'newest', period: 'week', style: 'watercolor' },
      { q: '', sort: 'newest', period: 'week', style: 'pixel' },
      { q: 'café & crème', sort: 'newest', period: 'week', style: '' },
      { q: '', sort: 'popular', period: 'day', style: '' },
    ] as const) {
      const href = galleryHref(view);
      expect(read(new URL(href, 'http://easel.test').search)).toEqual(view);
    }
  });

  it('orders a search newest first, as the API answers it', () => {
    expect(read('?q=fox&sort=popular&period=day')).toEqual({
      q: 'fox',
      sort: 'newest',
      period: 'day',
      style: '',
    });
    expect(galleryHref({ q: 'fox', sort: 'popular', period: 'day', style: 'anime' })).toBe(
      '/?q=fox&style=anime',
    );
    expect(galleryApiParams(read('?q=fox&sort=popular')).sort).toBeUndefined();
  });

  it('asks the API for popular with a period, and leaves both out for newest', () => {
    expect(galleryApiParams(read('?sort=popular&period=all&style=comic'))).toEqual({
      q: undefined,
      sort: 'popular',
      period: 'all',
      style: 'comic',
    });
    expect(galleryApiParams(read('?period=day'))).toEqual({
      q: undefined,
      sort: undefined,
      period: undefined,
      style: undefined,
    });
  });

  it('gives a new listing key to every different view, and the same to the same view', () => {
    expect(galleryKey(read('?sort=popular&period=day'))).not.toBe(
      galleryKey(read('?sort=popular&period=week')),
    );
    expect(galleryKey(read('?style=anime'))).not.toBe(galleryKey(read('')));
    expect(galleryKey(read('?period=day'))).toBe(galleryKey(read('')));
  });
});
