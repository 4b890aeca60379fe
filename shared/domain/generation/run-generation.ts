import { logger } from '../../logger.ts';
import type { Clock } from '../accounts/ports.ts';
import { type ImageRecord, imageObjectKeys } from '../images/image.ts';
import { isFinished, type Job } from './jobs.ts';
import type { ImageProcessor, ImageProvider, ImageStore, JobStore, ObjectStorage } from './ports.ts';
import { ProviderRefusal } from './provider-errors.ts';

export interface RunGenerationDeps {
  readonly jobs: JobStore;
  readonly images: ImageStore;
  readonly storage: ObjectStorage;
  readonly provider: ImageProvider;
  readonly processor: ImageProcessor;
  readonly clock: Clock;
  /** Provider latency and refusals, for metrics. */
  readonly observe?: (
    event: { name: 'provider'; milliseconds: number; ok: boolean } | { name: 'refused'; code: string },
  ) => void;
}

export type RunOutcome = 'succeeded' | 'failed' | 'already-finished' | 'missing';

const contentTypes = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/**
 * Does a generation job. Safe to run again for the same job (a redelivered message, or
 * a worker that died half-way): the job's image ids were fixed when it was accepted, an
 * image that exists is not made again, and every write is conditional, so the job ends
 * with exactly `n` images and holds its quota once.
 *
 * A `ProviderRefusal` fails the job at once; a `ProviderUnavailable` is thrown on for the
 * queue to retry.
 */
export async function runGeneration(deps: RunGenerationDeps, jobId: string): Promise<RunOutcome> {
  const found = await deps.jobs.get(jobId);
  if (!found) {
    logger.warn('job message for a job that does not exist', { jobId });
    return 'missing';
  }
  if (isFinished(found.status)) return 'already-finished';
  const job = await deps.jobs.start(found, deps.clock.now().toISOString());
  if (isFinished(job.status)) return 'already-finished';

  const made = await deps.images.existing(job.plannedImageIds);
  const missing = job.plannedImageIds.filter((id) => !made.has(id));
  if (missing.length) {
    let outputs: Uint8Array[];
    const started = Date.now();
    try {
      outputs = await deps.provider.generate({
        model: job.model,
        prompt: job.modelPrompt,
        size: job.request.size,
        quality: job.request.quality,
        n: missing.length,
      });
      deps.observe?.({ name: 'provider', milliseconds: Date.now() - started, ok: true });
    } catch (error) {
      deps.observe?.({ name: 'provider', milliseconds: Date.now() - started, ok: false });
      if (error instanceof ProviderRefusal) {
        deps.observe?.({ name: 'refused', code: error.code });
        await deps.jobs.fail(
          jobId,
          { code: error.code, message: error.message },
          deps.clock.now().toISOString(),
        );
        return 'failed';
      }
      throw error;
    }
    if (outputs.length < missing.length) {
      throw new Error(`the provider returned ${outputs.length} of ${missing.length} images`);
    }
    for (const [index, imageId] of missing.entries()) {
      await keepImage(deps, job, imageId, outputs[index]!);
    }
  }
  await deps.jobs.succeed(job, job.plannedImageIds, deps.clock.now().toISOString());
  return 'succeeded';
}

/** Stores the bytes and their thumbnail, then the record: a record always has its objects. */
async function keepImage(deps: RunGenerationDeps, job: Job, imageId: string, bytes: Uint8Array) {
  const facts = await deps.processor.inspect(bytes);
  const keys = imageObjectKeys(imageId, facts.format === 'jpeg' ? 'jpg' : facts.format);
  await deps.storage.put(keys.originalKey, bytes, contentTypes[facts.format]);
  await deps.storage.put(keys.thumbnailKey, await deps.processor.thumbnail(bytes), 'image/webp');
  const now = deps.clock.now().toISOString();
  const record: ImageRecord = {
    imageId,
    ownerId: job.ownerId,
    ownerName: job.ownerName,
    kind: 'generated',
    status: 'READY',
    prompt: job.request.prompt,
    ...(job.request.style ? { style: job.request.style } : {}),
    ...(job.request.characterId ? { characterId: job.request.characterId } : {}),
    model: job.model,
    size: job.request.size,
    quality: job.request.quality,
    descriptionStatus: 'NONE',
    isPublic: false,
    jobId: job.jobId,
    width: facts.width,
    height: facts.height,
    contentType: contentTypes[facts.format],
    ...keys,
    commentCount: 0,
    createdAt: now,
    updatedAt: now,
  };
  await deps.images.putIfAbsent(record);
}
