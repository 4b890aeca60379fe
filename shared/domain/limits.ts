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

/** The writes each user may make per minute, by kind (429 `RATE_LIMITED` past them). */
export const writeRatesPerMinute = {
  comments: 30,
  likes: 60,
  /** Files through `POST /api/images` and tickets of `POST /api/uploads` together. */
  uploads: 30,
  characters: 20,
  describes: 30,
  shares: 60,
  profile: 10,
} as const;

export type WriteKind = keyof typeof writeRatesPerMinute;

/** Upload tickets a user may hold that were neither used nor expired. */
export const maxPendingUploadTickets = 20;

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
