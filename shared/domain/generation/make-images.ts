import type { ImageRecord } from '../images/image.ts';
import { type ImageObjectDeps, storeImageObjects } from '../images/store-image.ts';
import type { ImageStore } from '../ports.ts';
import type { EditJob, GenerationJob, JobError, PortraitJob } from './jobs.ts';
import { failIfRefused, mayHaveImages, type RunJobDeps, type RunOutcome } from './run-job.ts';

export interface MakeImagesDeps extends RunJobDeps, ImageObjectDeps {
  readonly images: ImageStore;
}

/** What a job's images say about how they were made. */
export type MadeImageFields = Pick<ImageRecord, 'kind'> &
  Partial<
    Pick<
      ImageRecord,
      | 'prompt'
      | 'title'
      | 'style'
      | 'characterId'
      | 'size'
      | 'quality'
      | 'negativePrompt'
      | 'parentImageId'
      | 'sourceKey'
      | 'maskKey'
    >
  >;

/**
 * What else the job's end changes, done before the job's own status is written: whoever hears
 * that the job ended (the live socket, a poll) then reads the rest already changed.
 */
export interface JobEnding {
  readonly succeeding?: (imageIds: readonly string[]) => Promise<void>;
  readonly failing?: (error: JobError) => Promise<void>;
}

/**
 * The end every image-making job shares. Safe to run again for the same job (a
 * redelivered message, or a worker that died half-way): the image ids were fixed when
 * the job was accepted, an image that exists is not made again (a job that was still
 * QUEUED when this worker took it has none yet, so only one found RUNNING is looked at),
 * and every write is conditional, so the job ends with exactly its images and holds its
 * quota once.
 *
 * `produce(n)` asks the provider for the n missing images: a `ProviderRefusal` fails the
 * job at once, anything else is thrown on for the queue to retry.
 */
export async function makeImages(
  deps: MakeImagesDeps,
  job: GenerationJob | PortraitJob | EditJob,
  produce: (n: number) => Promise<Uint8Array[]>,
  fields: MadeImageFields,
  ending: JobEnding = {},
): Promise<RunOutcome> {
  const now = () => deps.clock.now().toISOString();
  const made = mayHaveImages(job) ? await deps.images.existing(job.plannedImageIds) : new Set<string>();
  const missing = job.plannedImageIds.filter((id) => !made.has(id));
  if (missing.length) {
    let outputs: Uint8Array[];
    try {
      outputs = await produce(missing.length);
    } catch (error) {
      await failIfRefused(deps, error, async (reason) => {
        await ending.failing?.(reason);
        return deps.jobs.fail(job.jobId, reason, now());
      });
      return 'failed';
    }
    if (outputs.length < missing.length) {
      throw new Error(`the provider returned ${outputs.length} of ${missing.length} images`);
    }
    for (const [index, imageId] of missing.entries()) {
      const bytes = outputs[index]!;
      const stored = await storeImageObjects(deps, imageId, {
        ...(await deps.processor.inspect(bytes)),
        bytes,
      });
      const timestamp = now();
      await deps.images.putIfAbsent({
        imageId,
        ownerId: job.ownerId,
        ownerName: job.ownerName,
        status: 'READY',
        model: job.model,
        descriptionStatus: 'NONE',
        isPublic: false,
        jobId: job.jobId,
        commentCount: 0,
        ...fields,
        ...stored,
        createdAt: timestamp,
        updatedAt: timestamp,
      });
    }
    deps.observe?.({ name: 'images', count: missing.length });
  }
  await ending.succeeding?.(job.plannedImageIds);
  await deps.jobs.succeed(job, job.plannedImageIds, now());
  return 'succeeded';
}
