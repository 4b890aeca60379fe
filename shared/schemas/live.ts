import * as z from 'zod/mini';
import { Timestamp } from './fields.ts';
import { JobError, JobStatus } from './generation.ts';
import { meta } from './meta.ts';

export const LiveTicket = meta(
  z.object({
    ticket: meta(z.string(), { description: 'Opens one socket: GET /api/live?ticket=<ticket>' }),
    expiresAt: meta(Timestamp, { description: 'Unused after this (60 s on), it is refused' }),
  }),
  { id: 'LiveTicket' },
);

/** A text message on the live-updates socket: one status change of one of the owner's jobs. */
export const JobEventMessage = meta(
  z.object({
    type: z.literal('job'),
    jobId: z.string(),
    jobType: z.enum(['generation', 'edit', 'portrait', 'description']),
    status: JobStatus,
    imageIds: z.optional(z.array(z.string())),
    error: z.optional(JobError),
    updatedAt: Timestamp,
  }),
  { id: 'JobEventMessage' },
);

export type JobEventMessage = z.infer<typeof JobEventMessage>;
