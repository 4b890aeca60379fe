import { createHash } from 'node:crypto';
import { ConflictError, UpstreamUnavailableError, ValidationError } from '../../errors.ts';
import { logger } from '../../logger.ts';
import type { Clock } from '../accounts/ports.ts';
import { findStyle } from '../catalogue/styles.ts';
import type { GenerationRequest, Job } from './jobs.ts';
import type { IdGenerator, JobQueue, JobStore } from './ports.ts';
import { composePrompt } from './prompt.ts';

export interface GenerationSettings {
  readonly model: string;
  readonly sizes: readonly string[];
  readonly qualities: readonly string[];
  readonly defaultSize: string;
  readonly defaultQuality: string;
  readonly maxImagesPerRequest: number;
  readonly quotaPerDay: number;
}

export interface CreateGenerationDeps {
  readonly jobs: JobStore;
  readonly queue: JobQueue;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly settings: GenerationSettings;
}

export interface Requester {
  readonly userId: string;
  readonly displayName: string;
}

export interface AcceptedJob {
  readonly jobId: string;
  readonly status: 'QUEUED';
}

const idempotencyWindowSeconds = 24 * 60 * 60;

/** The same body always hashes the same, whatever the order of its fields. */
export function bodyHash(body: unknown): string {
  const canonical = JSON.stringify(body, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/** Settings decide sizes and qualities, so they are checked here rather than in the schema. */
function resolveRequest(
  input: Partial<GenerationRequest> & { prompt: string },
  settings: GenerationSettings,
) {
  const details = [];
  const size = input.size ?? settings.defaultSize;
  const quality = input.quality ?? settings.defaultQuality;
  if (!settings.sizes.includes(size)) {
    details.push({ field: 'size', in: 'body', message: `must be one of ${settings.sizes.join(', ')}` });
  }
  if (!settings.qualities.includes(quality)) {
    details.push({
      field: 'quality',
      in: 'body',
      message: `must be one of ${settings.qualities.join(', ')}`,
    });
  }
  const n = input.n ?? 1;
  if (n > settings.maxImagesPerRequest) {
    details.push({ field: 'n', in: 'body', message: `must be at most ${settings.maxImagesPerRequest}` });
  }
  const style = input.style === undefined ? undefined : findStyle(input.style);
  if (input.style !== undefined && !style) {
    details.push({
      field: 'style',
      in: 'body',
      message: `unknown style "${input.style}"; see GET /api/styles`,
    });
  }
  if (details.length) {
    throw new ValidationError(
      `The request is not valid: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  return { request: { ...input, size, quality, n } satisfies GenerationRequest, style };
}

/**
 * Accepts a generation: the job and its quota in one transaction, then the message on
 * the queue. With an idempotency key, the same body within 24 h answers the first answer
 * and queues nothing; another body with the key is a 409.
 */
export async function createGeneration(
  deps: CreateGenerationDeps,
  requester: Requester,
  input: Partial<GenerationRequest> & { prompt: string },
  options: { idempotencyKey?: string; correlationId: string },
): Promise<AcceptedJob> {
  const { request, style } = resolveRequest(input, deps.settings);
  const hash = bodyHash(input);
  const key = options.idempotencyKey;
  if (key) {
    const earlier = await deps.jobs.findIdempotency(requester.userId, key);
    if (earlier) return answerFor(earlier, hash);
  }

  const now = deps.clock.now();
  const timestamp = now.toISOString();
  const jobId = deps.newId();
  const job: Job = {
    jobId,
    type: 'generation',
    status: 'QUEUED',
    ownerId: requester.userId,
    ownerName: requester.displayName,
    request,
    modelPrompt: composePrompt({ prompt: request.prompt, style, negativePrompt: request.negativePrompt }),
    model: deps.settings.model,
    plannedImageIds: Array.from({ length: request.n }, () => deps.newId()),
    imageIds: [],
    quota: { day: timestamp.slice(0, 10), images: request.n },
    correlationId: options.correlationId,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  const accepted: AcceptedJob = { jobId, status: 'QUEUED' };
  try {
    await deps.jobs.accept({
      job,
      quotaPerDay: deps.settings.quotaPerDay,
      ...(key
        ? {
            idempotency: {
              key,
              record: { bodyHash: hash, response: accepted },
              expiresAt: Math.floor(now.getTime() / 1000) + idempotencyWindowSeconds,
            },
          }
        : {}),
    });
  } catch (error) {
    // Another request with the same key won the race: answer as it did.
    if (key && error instanceof IdempotencyKeyTaken) {
      const earlier = await deps.jobs.findIdempotency(requester.userId, key);
      if (earlier) return answerFor(earlier, hash);
    }
    throw error;
  }

  try {
    await deps.queue.send({ jobId, type: 'generation' }, options.correlationId);
  } catch (error) {
    // The job must not stay QUEUED with no message: fail it (the quota comes back) and let the key be reused.
    await deps.jobs.fail(
      jobId,
      { code: 'UPSTREAM_UNAVAILABLE', message: 'The job could not be queued.' },
      timestamp,
    );
    if (key) await deps.jobs.forgetIdempotency(requester.userId, key);
    logger.error('job could not be queued', { jobId, error: error as Error });
    throw new UpstreamUnavailableError('The job could not be queued; try again shortly.');
  }
  return accepted;
}

export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key taken by a concurrent request');
    this.name = 'IdempotencyKeyTaken';
  }
}

function answerFor(earlier: { bodyHash: string; response: unknown }, hash: string): AcceptedJob {
  if (earlier.bodyHash !== hash) {
    throw new ConflictError(
      'This Idempotency-Key was used with a different request body.',
      'IDEMPOTENCY_KEY_REUSED',
    );
  }
  return earlier.response as AcceptedJob;
}
