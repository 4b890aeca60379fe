import { NotFoundError } from '../../errors.ts';
import * as listings from '../listings.ts';
import { type Paged, type PageQuery, paged } from '../paging.ts';
import type { CursorCodec, JobStore } from '../ports.ts';
import { type Job, type JobStatus, jobView } from './jobs.ts';

/** One of the caller's jobs; someone else's answers exactly as a missing one. */
export async function getOwnJob(jobs: JobStore, ownerId: string, jobId: string): Promise<Job> {
  const job = await jobs.get(jobId);
  if (!job || job.ownerId !== ownerId) throw new NotFoundError('No such job.');
  return job;
}

/** A page of the caller's jobs, newest first, optionally of one status, as the API shows them. */
export async function jobsPage(
  deps: { readonly jobs: Pick<JobStore, 'listByOwner'>; readonly cursors: CursorCodec },
  ownerId: string,
  status: JobStatus | undefined,
  page: PageQuery,
): Promise<Paged<ReturnType<typeof jobView>>> {
  const found = await paged(listings.jobs(ownerId, status), deps.cursors, page, (options) =>
    deps.jobs.listByOwner(ownerId, { status, ...options }),
  );
  return { ...found, items: found.items.map(jobView) };
}
