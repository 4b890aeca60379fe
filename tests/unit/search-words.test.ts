import { describe, expect, it } from 'vitest';
import { imageSearchWords, maxIndexedWords, searchWords } from '../../shared/domain/search/words.ts';

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
