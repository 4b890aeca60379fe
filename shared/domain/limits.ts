/** Decoding stops at this many pixels, so a decompression bomb cannot exhaust memory. */
export const maxInputPixels = 40_000_000;

/** The fixed limits of API.md; the configurable ones live in shared/config.ts. */
export const limits = {
  maxPromptLength: 4000,
  maxCommentLength: 2000,
  uploads: {
    /** Through `POST /api/images` (and `/api/edits`); anything bigger goes through `POST /api/uploads`. */
    maxApiBytes: 4 * 1024 * 1024,
    maxPresignedBytes: 20 * 1024 * 1024,
    acceptedTypes: ['image/png', 'image/jpeg', 'image/webp'],
    maxPixels: maxInputPixels,
  },
} as const;

/**
 * What API Gateway lets through to a function: an image too big for the API still
 * reaches the handler, which refuses it for its decoded size, with the way out.
 */
export const gatewayMaxBodyBytes = 10 * 1024 * 1024;

/**
 * The body `POST /api/images` takes: a file of `maxApiBytes` base64-encoded in JSON (the
 * larger of its two forms, a third over the file), with room for the other fields and
 * the multipart framing. About 5.4 MB, so the event Lambda receives stays under its 6 MB.
 */
export const apiUploadMaxBodyBytes = Math.ceil(limits.uploads.maxApiBytes / 3) * 4 + 64 * 1024;

/** How long a presigned upload form may be used. */
export const uploadFormSeconds = 15 * 60;
