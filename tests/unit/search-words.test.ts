import { describe, expect, it } from 'vitest';
import {
  entryText,
  imageSearchWords,
  indexTerms,
  matchText,
  maxIndexedWords,
  queryTerm,
  searchWords,
  styleWord,
} from '../../shared/domain/search/words.ts';

describe('searchWords', () => {
  it('lower-cases and removes accents, so case and accents never matter', () => {
    expect(searchWords('Café CRÈME Brûlée')).toEqual(['cafe', 'creme', 'brulee']);
    expect(searchWords('café')).toEqual(searchWords('CAFE'));
  });

  it('splits on punctuation and keeps letters and digits of every script', () => {
    expect(searchWords('sunset—over "Tokyo" (2026), 東京 night-sky!')).toEqual([
      'sunset',
      'over',
      'tokyo',
      '2026',
      '東京',
      'night',
      'sky',
    ]);
  });

  it('ignores invisible and text-direction characters a prompt may carry', () => {
    expect(searchWords('light\u200Bhouse at \u202Edusk\u202C, soft\u00ADly\u2066lit\u2069')).toEqual([
      'lighthouse',
      'at',
      'dusk',
      'softlylit',
    ]);
    expect(searchWords('\u200B\u200E\uFEFF')).toEqual([]);
  });

  it('keeps each word once and drops one-letter words', () => {
    expect(searchWords('a cat and a cat')).toEqual(['cat', 'and']);
  });
});

describe('imageSearchWords', () => {
  it('takes the words of the prompt, title and description', () => {
    expect(imageSearchWords({ prompt: 'A lighthouse', title: 'Dusk', description: 'Waves at dusk' })).toEqual(
      ['lighthouse', 'dusk', 'waves', 'at'],
    );
  });

  it('indexes a bounded number of words', () => {
    const prompt = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    expect(imageSearchWords({ prompt })).toHaveLength(maxIndexedWords);
  });
});

describe('prefix terms', () => {
  it('indexes each word under its beginnings of 3 to 8 letters, short words and styles whole', () => {
    expect(indexTerms(['lighthouse', 'on', 'sea', 'style:anime'])).toEqual([
      'lig',
      'ligh',
      'light',
      'lighth',
      'lightho',
      'lighthou',
      'on',
      'sea',
      'style:anime',
    ]);
  });

  it('keeps at most six terms a word, each once', () => {
    expect(indexTerms(['lighthouses', 'lighthouse'])).toHaveLength(6);
  });

  it('looks a long query word up by its first 8 letters and checks it whole against the words', () => {
    expect(queryTerm('lighthouses')).toBe('lighthou');
    expect(queryTerm('light')).toBe('light');
    expect(queryTerm('on')).toBe('on');
    const text = entryText(['old', 'lighthouse', 'on', 'sea']);
    expect(text.includes(matchText('lighthouse'))).toBe(true);
    expect(text.includes(matchText('lighthouses'))).toBe(false);
    expect(text.includes(matchText('light'))).toBe(true);
    expect(text.includes(matchText('ighthouse'))).toBe(false);
    // A word of two letters matches only itself.
    expect(entryText(['one']).includes(matchText('on'))).toBe(false);
  });

  it('indexes an image under its style as a word no query can type', () => {
    expect(imageSearchWords({ prompt: 'A fox', style: 'anime' })).toEqual(['fox', styleWord('anime')]);
    expect(searchWords(styleWord('anime'))).not.toContain(styleWord('anime'));
  });
});
