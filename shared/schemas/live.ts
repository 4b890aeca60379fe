import * as z from 'zod';
import { Timestamp } from './fields.ts';
import { JobError, JobStatus } from './generation.ts';

export const LiveTicket = z
  .object({
    ticket: z.string().meta({ description: 'Opens one socket: GET /api/live?ticket=<ticket>' }),
    expiresAt: Timestamp.meta({ description: 'Unused after this (60 s on), it is refused' }),
  })
  .meta({ id: 'LiveTicket' });

/** A text message on the live-updates socket: one status change of one of the owner's jobs. */
export const JobEventMessage = z
  .object({
    type: z.literal('job'),
    jobId: z.string(),
    jobType: z.enum(['generation', 'edit', 'portrait', 'description']),
    status: JobStatus,
    imageIds: z.array(z.string()).optional(),
    error: JobError.optional(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'JobEventMessage' });

export type JobEventMessage = z.infer<typeof JobEventMessage>;
