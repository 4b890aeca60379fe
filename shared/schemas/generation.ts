import * as z from 'zod/mini';
import { multiLine, Prompt, singleLine, Timestamp } from './fields.ts';
import { meta } from './meta.ts';

export const JobError = meta(
  z.object({
    code: z.string(),
    message: z.string(),
    details: meta(z.optional(z.array(z.object({ reason: z.string() }))), {
      description: "The model provider's own words, for operators",
    }),
  }),
  { id: 'JobError' },
);

export const CreateGenerationRequest = meta(
  z.strictObject({
    prompt: Prompt,
    style: meta(z.optional(singleLine(40)), {
      description: 'A style id from GET /api/styles',
      fromConfig: 'styles',
    }),
    size: meta(z.optional(singleLine(20)), {
      description: 'One of the sizes of GET /api/config',
      fromConfig: 'sizes',
    }),
    quality: meta(z.optional(singleLine(20)), {
      description: 'One of the qualities of GET /api/config',
      fromConfig: 'qualities',
    }),
    n: meta(z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(10))), {
      description: 'Images to make; at most maxImagesPerRequest',
      fromConfig: 'maxImagesPerRequest',
    }),
    negativePrompt: z.optional(multiLine(1000)),
    characterId: z.optional(singleLine(64)),
  }),
  { id: 'CreateGenerationRequest' },
);

export const AcceptedJob = meta(z.object({ jobId: z.string(), status: z.literal('QUEUED') }), {
  id: 'AcceptedJob',
});

/** A describe answers the job it queued, or the one already queued or running for the image. */
export const DescriptionUnderWay = meta(
  z.object({ jobId: z.string(), status: z.enum(['QUEUED', 'RUNNING']) }),
  { id: 'DescriptionUnderWay' },
);

export const JobStatus = z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']);

export const Job = meta(
  z.object({
    jobId: z.string(),
    type: z.enum(['generation', 'edit', 'portrait', 'description']),
    status: JobStatus,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    error: z.optional(JobError),
    imageIds: z.array(z.string()),
  }),
  { id: 'Job' },
);

export const PageQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
  // Cursors are sealed, base64url-encoded keys of a few hundred characters (shared/http/cursor.ts).
  cursor: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(1024),
        z.regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of a page'),
      ),
  ),
});

export const ListJobsQuery = z.extend(PageQuery, { status: z.optional(JobStatus) });

export function page<T extends z.ZodMiniType>(item: T, id: string) {
  return meta(z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) }), { id });
}

export const JobPage = page(Job, 'JobPage');

export const IdempotencyHeaders = z.object({
  'idempotency-key': meta(
    z.optional(
      z
        .string()
        .check(
          z.regex(
            /^[A-Za-z0-9_.:-]{1,128}$/,
            'must be 1–128 letters, digits, dots, colons, dashes or underscores',
          ),
        ),
    ),
    { description: 'The same key with the same body within 24 h answers the first answer' },
  ),
});

export const JobIdParams = z.object({ jobId: z.string().check(z.minLength(1), z.maxLength(64)) });
