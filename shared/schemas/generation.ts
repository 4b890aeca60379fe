import * as z from 'zod';
import { multiLine, Prompt, singleLine, Timestamp } from './fields.ts';

export const JobError = z
  .object({
    code: z.string(),
    message: z.string(),
    details: z
      .array(z.object({ reason: z.string() }))
      .optional()
      .meta({ description: "The model provider's own words, for operators" }),
  })
  .meta({ id: 'JobError' });

export const CreateGenerationRequest = z
  .strictObject({
    prompt: Prompt,
    style: singleLine(40)
      .optional()
      .meta({ description: 'A style id from GET /api/styles', fromConfig: 'styles' }),
    size: singleLine(20)
      .optional()
      .meta({ description: 'One of the sizes of GET /api/config', fromConfig: 'sizes' }),
    quality: singleLine(20)
      .optional()
      .meta({ description: 'One of the qualities of GET /api/config', fromConfig: 'qualities' }),
    n: z.number().int().min(1).max(10).optional().meta({
      description: 'Images to make; at most maxImagesPerRequest',
      fromConfig: 'maxImagesPerRequest',
    }),
    negativePrompt: multiLine(1000).optional(),
    characterId: singleLine(64).optional(),
  })
  .meta({ id: 'CreateGenerationRequest' });

export const AcceptedJob = z
  .object({ jobId: z.string(), status: z.literal('QUEUED') })
  .meta({ id: 'AcceptedJob' });

/** A describe answers the job it queued, or the one already queued or running for the image. */
export const DescriptionUnderWay = z
  .object({ jobId: z.string(), status: z.enum(['QUEUED', 'RUNNING']) })
  .meta({ id: 'DescriptionUnderWay' });

export const JobStatus = z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']);

export const Job = z
  .object({
    jobId: z.string(),
    type: z.enum(['generation', 'edit', 'portrait', 'description']),
    status: JobStatus,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    error: JobError.optional(),
    imageIds: z.array(z.string()),
  })
  .meta({ id: 'Job' });

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  // Cursors are sealed, base64url-encoded keys of a few hundred characters (shared/http/cursor.ts).
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of a page')
    .optional(),
});

export const ListJobsQuery = PageQuery.extend({ status: JobStatus.optional() });

export function page<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

export const JobPage = page(Job, 'JobPage');

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1–128 letters, digits, dots, colons, dashes or underscores')
    .optional()
    .meta({ description: 'The same key with the same body within 24 h answers the first answer' }),
});

export const JobIdParams = z.object({ jobId: z.string().min(1).max(64) });
