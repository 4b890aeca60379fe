/** Decoding stops at this many pixels, so a decompression bomb cannot exhaust memory. */
export const maxInputPixels = 40_000_000;

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

/**
 * What API Gateway lets through to a function: a 5 MB image base64-encoded in JSON (about
 * 6.7 MB) fits, so an oversized image is refused for its decoded size, with the way out.
 */
export const gatewayMaxBodyBytes = 10 * 1024 * 1024;

/** How long a presigned upload form may be used. */
export const uploadFormSeconds = 15 * 60;
