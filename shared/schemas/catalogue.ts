import * as z from 'zod/mini';
import { meta } from './meta.ts';

export const StyleList = meta(
  z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })) }),
  { id: 'StyleList' },
);

export const PublicConfig = meta(
  z.object({
    imageModel: z.string(),
    sizes: z.array(z.string()),
    defaultSize: z.string(),
    qualities: z.array(z.string()),
    defaultQuality: z.string(),
    pricesUsd: z.record(z.string(), z.number()),
    maxImagesPerRequest: z.number().check(z.int()),
    maxPromptLength: z.number().check(z.int()),
    quotaPerDay: z.number().check(z.int()),
    descriptionsPerDay: meta(z.number().check(z.int()), {
      description: 'Image descriptions per user per day',
    }),
    writeRatesPerMinute: meta(z.record(z.string(), z.number().check(z.int())), {
      description:
        'Writes per user per minute by kind (comments, likes, uploads, characters, describes, shares, profile); past them 429 RATE_LIMITED with Retry-After',
    }),
    maxPendingUploadTickets: meta(z.number().check(z.int()), {
      description: 'Upload tickets a user may hold unused at once',
    }),
    uploads: z.object({
      maxApiBytes: meta(z.number().check(z.int()), {
        description:
          'Largest file through POST /api/images or /api/edits (4 MB); larger ones go through POST /api/uploads',
      }),
      maxPresignedBytes: meta(z.number().check(z.int()), {
        description: 'Largest file through POST /api/uploads',
      }),
      acceptedTypes: z.array(z.string()),
      maxPixels: z.number().check(z.int()),
    }),
    maxCommentLength: z.number().check(z.int()),
    passwordPolicy: z.object({
      minLength: z.number().check(z.int()),
      requireLowercase: z.boolean(),
      requireUppercase: z.boolean(),
      requireDigits: z.boolean(),
      requireSymbols: z.boolean(),
    }),
  }),
  { id: 'PublicConfig' },
);
