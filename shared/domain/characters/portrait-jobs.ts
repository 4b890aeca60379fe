import { type AcceptJobDeps, acceptJob } from '../generation/accept-job.ts';
import type { GenerationSettings } from '../generation/create-generation.ts';
import type { PortraitJob } from '../generation/jobs.ts';
import type { PortraitJobs } from './ports.ts';

/**
 * Portraits go through the generation pipeline: one image, the default size and quality,
 * the same quota, queue, worker, retries and dead-letter handling as any generation.
 */
export function portraitJobs(deps: AcceptJobDeps, settings: GenerationSettings): PortraitJobs {
  return {
    async start({ owner, characterId, title, prompt, correlationId, claim }) {
      const accepted = await acceptJob(
        deps,
        owner.userId,
        async ({ jobId, timestamp }) => {
          await claim(jobId);
          const job: PortraitJob = {
            jobId,
            type: 'portrait',
            status: 'QUEUED',
            ownerId: owner.userId,
            ownerName: owner.displayName,
            model: settings.model,
            request: {
              prompt,
              size: settings.defaultSize,
              quality: settings.defaultQuality,
              n: 1,
              characterId,
            },
            modelPrompt: prompt,
            title,
            plannedImageIds: [deps.newId()],
            imageIds: [],
            quota: { day: timestamp.slice(0, 10), images: 1 },
            correlationId,
            createdAt: timestamp,
            updatedAt: timestamp,
          };
          return job;
        },
        { correlationId, quotaPerDay: settings.quotaPerDay },
      );
      return accepted.jobId;
    },
  };
}
