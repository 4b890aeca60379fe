/**
 * A card's shape in the justified rows of the image grid. Each card grows in proportion to
 * its image's width-to-height ratio from a basis of ratio × row height, so every card of a
 * row ends up the same height and each image keeps its shape; the box is reserved from the
 * record's width and height, so nothing moves as the pictures arrive.
 */
export interface Tile {
  /** Width over height of the card's picture box. */
  readonly ratio: number;
  /** CSS `aspect-ratio` of the picture box. */
  readonly aspectRatio: string;
  /** True when the box is narrower or wider than the image, which is then cropped to fill it. */
  readonly cropped: boolean;
}

// Beyond these, a panorama or a sliver would take a whole row or vanish in one.
export const narrowest = 0.5;
export const widest = 2.5;

export function tileOf(width: number | undefined, height: number | undefined): Tile {
  if (!width || !height || !Number.isFinite(width / height) || width <= 0 || height <= 0)
    return { ratio: 1, aspectRatio: '1 / 1', cropped: false };
  const ratio = width / height;
  if (ratio < narrowest) return { ratio: narrowest, aspectRatio: `${narrowest}`, cropped: true };
  if (ratio > widest) return { ratio: widest, aspectRatio: `${widest}`, cropped: true };
  return { ratio, aspectRatio: `${width} / ${height}`, cropped: false };
}

/** Inline custom properties the grid's CSS reads (`--ratio`, `--aspect`). */
export function tileStyle(tile: Tile): Record<string, string> {
  return { '--ratio': tile.ratio.toFixed(4), '--aspect': tile.aspectRatio };
}
