import { maxInputPixels } from '../adapters/sharp-image-processor.ts';

/** The fixed limits of API.md; the configurable ones live in shared/config.ts. */
export const limits = {
  maxPromptLength: 4000,
  maxCommentLength: 2000,
  uploads: {
    maxApiBytes: 5 * 1024 * 1024,
    maxPresignedBytes: 20 * 1024 * 1024,
    acceptedTypes: ['image/png', 'image/jpeg', 'image/webp'],
    maxPixels: maxInputPixels,
  },
} as const;
