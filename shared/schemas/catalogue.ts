import * as z from 'zod';

export const StyleList = z
  .object({ items: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })) })
  .meta({ id: 'StyleList' });

export const PublicConfig = z
  .object({
    imageModel: z.string(),
    sizes: z.array(z.string()),
    defaultSize: z.string(),
    qualities: z.array(z.string()),
    defaultQuality: z.string(),
    pricesUsd: z.record(z.string(), z.number()),
    maxImagesPerRequest: z.number().int(),
    maxPromptLength: z.number().int(),
    quotaPerDay: z.number().int(),
    descriptionsPerDay: z.number().int().meta({ description: 'Image descriptions per user per day' }),
    writeRatesPerMinute: z.record(z.string(), z.number().int()).meta({
      description:
        'Writes per user per minute by kind (comments, likes, uploads, characters, describes, shares, profile); past them 429 RATE_LIMITED with Retry-After',
    }),
    maxPendingUploadTickets: z
      .number()
      .int()
      .meta({ description: 'Upload tickets a user may hold unused at once' }),
    uploads: z.object({
      maxApiBytes: z.number().int().meta({
        description:
          'Largest file through POST /api/images or /api/edits (4 MB); larger ones go through POST /api/uploads',
      }),
      maxPresignedBytes: z.number().int().meta({ description: 'Largest file through POST /api/uploads' }),
      acceptedTypes: z.array(z.string()),
      maxPixels: z.number().int(),
    }),
    maxCommentLength: z.number().int(),
    passwordPolicy: z.object({
      minLength: z.number().int(),
      requireLowercase: z.boolean(),
      requireUppercase: z.boolean(),
      requireDigits: z.boolean(),
      requireSymbols: z.boolean(),
    }),
  })
  .meta({ id: 'PublicConfig' });
