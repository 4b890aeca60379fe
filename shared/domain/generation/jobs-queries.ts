import { NotFoundError } from '../../errors.ts';
import type { JobStore } from '../ports.ts';
import type { Job } from './jobs.ts';

/** One of the caller's jobs; someone else's answers exactly as a missing one. */
export async function getOwnJob(jobs: JobStore, ownerId: string, jobId: string): Promise<Job> {
  const job = await jobs.get(jobId);
  if (!job || job.ownerId !== ownerId) throw new NotFoundError('No such job.');
  return job;
}
