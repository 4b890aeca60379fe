import { describe, expect, it } from 'vitest';
import { narrowest, tileOf, tileStyle, widest } from '../../web/src/lib/tile.ts';

describe('a card’s shape in the justified grid', () => {
  it('keeps the image’s own shape and reserves its box from width and height', () => {
    expect(tileOf(1536, 1024)).toEqual({ ratio: 1.5, aspectRatio: '1536 / 1024', cropped: false });
    expect(tileOf(1024, 1536)).toEqual({ ratio: 1024 / 1536, aspectRatio: '1024 / 1536', cropped: false });
    expect(tileOf(1024, 1024).ratio).toBe(1);
  });

  it('bounds panoramas and slivers, cropping them to the bound', () => {
    expect(tileOf(4000, 500)).toEqual({ ratio: widest, aspectRatio: `${widest}`, cropped: true });
    expect(tileOf(300, 3000)).toEqual({ ratio: narrowest, aspectRatio: `${narrowest}`, cropped: true });
  });

  it('gives a square to a record without usable dimensions', () => {
    for (const [width, height] of [
      [0, 0],
      [undefined, 100],
      [100, 0],
      [-5, 10],
      [Number.NaN, 10],
    ] as const) {
      expect(tileOf(width, height)).toEqual({ ratio: 1, aspectRatio: '1 / 1', cropped: false });
    }
  });

  it('hands the ratio and box to the stylesheet as custom properties', () => {
    expect(tileStyle(tileOf(1536, 1024))).toEqual({ '--ratio': '1.5000', '--aspect': '1536 / 1024' });
  });
});
