import { z } from 'zod';

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
