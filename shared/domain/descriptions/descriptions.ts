import { ConflictError, QuotaExceededError } from '../../errors.ts';
import { logger } from '../../logger.ts';
import { type AcceptJobDeps, acceptJob } from '../generation/accept-job.ts';
import { type DescriptionJob, isFinished, type JobError } from '../generation/jobs.ts';
import { ProviderRefusal } from '../generation/provider-errors.ts';
import {
  failIfRefused,
  observed,
  type RunJobDeps,
  type RunOutcome,
  startJob,
} from '../generation/run-job.ts';
import type { ImageRecord } from '../images/image.ts';
import { getOwnImage } from '../images/image-queries.ts';
import type { Clock, ImageDescriber, ImageStore, JobStore, ObjectStorage } from '../ports.ts';

export interface RequestDescriptionDeps extends AcceptJobDeps {
  readonly images: ImageStore;
  readonly visionModel: string;
  /** The day's allowance of descriptions per user. */
  readonly descriptionsPerDay: number;
}

/** A description accepted now, or the one already queued or running for the image. */
export interface DescriptionUnderWay {
  readonly jobId: string;
  readonly status: 'QUEUED' | 'RUNNING';
}

/**
 * Queues a description of the image: a `description` job, which takes one from the
 * owner's daily allowance of descriptions (given back if it fails). The image waits for
 * this job from now on (`descriptionStatus: PENDING`); while it waits for one, asking again
 * answers that job and pays for nothing new. A job that cannot be accepted or queued leaves
 * the image `FAILED` with the reason (or its description as it was), never waiting forever.
 * `jobId` is the id planned for it when the image was created, else a new one.
 */
export async function requestDescription(
  deps: RequestDescriptionDeps,
  image: Pick<ImageRecord, 'imageId' | 'ownerId' | 'ownerName' | 'descriptionStatus' | 'description'>,
  options: { correlationId: string; jobId?: string },
): Promise<DescriptionUnderWay> {
  const jobId = options.jobId ?? deps.newId();
  const start = (replacing?: string) =>
    deps.images.startDescription(image.imageId, jobId, deps.clock.now().toISOString(), replacing);
  let underWay = await start();
  if (underWay) {
    const job = await deps.jobs.get(underWay);
    if (job && !isFinished(job.status)) {
      return { jobId: underWay, status: job.status === 'RUNNING' ? 'RUNNING' : 'QUEUED' };
    }
    // The image waits for a job that is over or was never written (an attempt that stopped
    // half-way): this one takes its place, unless a concurrent request did so first.
    underWay = await start(underWay);
    if (underWay) return { jobId: underWay, status: 'QUEUED' };
  }
  try {
    return await acceptJob(
      { ...deps, newId: () => jobId },
      image.ownerId,
      ({ timestamp }): DescriptionJob => ({
        jobId,
        type: 'description',
        status: 'QUEUED',
        ownerId: image.ownerId,
        ownerName: image.ownerName,
        request: { imageId: image.imageId },
        model: deps.visionModel,
        imageIds: [],
        quota: { day: timestamp.slice(0, 10), descriptions: 1 },
        correlationId: options.correlationId,
        createdAt: timestamp,
        updatedAt: timestamp,
      }),
      { correlationId: options.correlationId, quotaPerDay: deps.descriptionsPerDay },
    );
  } catch (error) {
    const refused = error instanceof QuotaExceededError;
    // A description refused for the allowance leaves one the image had as it was.
    const outcome =
      refused && image.descriptionStatus === 'READY' && image.description !== undefined
        ? { status: 'READY' as const, description: image.description }
        : {
            status: 'FAILED' as const,
            error: refused
              ? { code: error.code, message: error.message }
              : { code: 'UPSTREAM_UNAVAILABLE', message: 'The description could not be queued.' },
          };
    await deps.images.finishDescription(image.imageId, jobId, outcome, deps.clock.now().toISOString());
    throw error;
  }
}

/** `POST /api/images/{imageId}/describe`: one of my READY images, described (again). */
export async function describeImage(
  deps: RequestDescriptionDeps,
  callerId: string,
  imageId: string,
  options: { correlationId: string },
): Promise<DescriptionUnderWay> {
  const image = await getOwnImage(deps.images, callerId, imageId);
  if (image.status !== 'READY') throw new ConflictError('Only a READY image can be described.');
  return requestDescription(deps, image, options);
}

export interface FailJobDeps {
  readonly jobs: JobStore;
  readonly images: ImageStore;
  readonly clock: Clock;
}

/**
 * Fails a job (its quota given back) and, for a description, the image's description
 * with it, so neither is left waiting. Answers false when the job had finished already.
 */
export async function failJob(deps: FailJobDeps, jobId: string, error: JobError): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  const failed = await deps.jobs.fail(jobId, error, now);
  const job = await deps.jobs.get(jobId);
  if (failed && job?.type === 'description') {
    await deps.images.finishDescription(job.request.imageId, jobId, { status: 'FAILED', error }, now);
  }
  return failed;
}

export interface RunDescriptionDeps extends RunJobDeps, FailJobDeps {
  readonly storage: ObjectStorage;
  readonly describer: ImageDescriber;
  /** Told when an image has a new description: a shared image is then found by its words. */
  readonly described?: (imageId: string) => Promise<void>;
}

/** What the vision model is asked: words for someone who cannot see the image, and for search. */
export const descriptionPrompt =
  'Describe this image in two to four plain sentences for someone who cannot see it: the subject, the setting, the colours, the style and the mood. No lists, no preamble.';

/** Vision models take inputs of limited size; a larger original is described from its thumbnail. */
export const visionMaxBytes = 8 * 1024 * 1024;

/**
 * Does a description job: the vision model reads the image and the words go onto its
 * record. A refusal (moderation) fails the job and the description at once; a transient
 * failure is thrown for the queue to retry. Running it again is harmless: the answer is
 * written only while the image still waits for this job.
 */
export async function runDescription(deps: RunDescriptionDeps, jobId: string): Promise<RunOutcome> {
  const job = await startJob(deps, jobId, 'description');
  if (typeof job === 'string') return job;
  const { imageId } = job.request;
  let description: string;
  try {
    const { bytes, contentType } = await visionInput(deps, imageId);
    description = await observed(deps, () =>
      deps.describer.describe({ model: job.model, prompt: descriptionPrompt, image: bytes, contentType }),
    );
  } catch (error) {
    await failIfRefused(deps, error, (reason) => failJob(deps, jobId, reason));
    return 'failed';
  }
  const now = deps.clock.now().toISOString();
  const written = await deps.images.finishDescription(imageId, jobId, { status: 'READY', description }, now);
  if (!written) logger.info('a newer description was asked for; this one is dropped', { jobId, imageId });
  else await deps.described?.(imageId);
  await deps.jobs.succeed(job, [imageId], now);
  return 'succeeded';
}

async function visionInput(deps: RunDescriptionDeps, imageId: string) {
  const image = await deps.images.get(imageId);
  if (image?.status === 'READY') {
    const original = await deps.storage.get(image.originalKey);
    if (original && original.length <= visionMaxBytes)
      return { bytes: original, contentType: image.contentType };
    const thumbnail = original && (await deps.storage.get(image.thumbnailKey));
    if (thumbnail) return { bytes: thumbnail, contentType: 'image/webp' };
  }
  throw new ProviderRefusal('INVALID_SOURCE', 'The image to describe is gone or not ready.');
}
