import { findStyle } from '../catalogue/styles.ts';
import { getOwnCharacter } from '../characters/characters.ts';
import type { CharacterStore } from '../ports.ts';
import { type AcceptedJob, type AcceptJobDeps, acceptJob, type Requester } from './accept-job.ts';
import type { GenerationJob, GenerationRequest } from './jobs.ts';
import { composePrompt } from './prompt.ts';
import { atMost, oneOf, throwIfInvalid } from './request-checks.ts';

export interface GenerationSettings {
  readonly model: string;
  readonly sizes: readonly string[];
  readonly qualities: readonly string[];
  readonly defaultSize: string;
  readonly defaultQuality: string;
  readonly maxImagesPerRequest: number;
  readonly quotaPerDay: number;
}

export interface CreateGenerationDeps extends AcceptJobDeps {
  readonly settings: GenerationSettings;
  readonly characters: Pick<CharacterStore, 'get'>;
}

function resolveRequest(
  input: Partial<GenerationRequest> & { prompt: string },
  settings: GenerationSettings,
) {
  const size = input.size ?? settings.defaultSize;
  const quality = input.quality ?? settings.defaultQuality;
  const n = input.n ?? 1;
  const style = input.style === undefined ? undefined : findStyle(input.style);
  throwIfInvalid([
    ...oneOf('size', size, settings.sizes),
    ...oneOf('quality', quality, settings.qualities),
    ...atMost('n', n, settings.maxImagesPerRequest),
    ...(input.style !== undefined && !style
      ? [{ field: 'style', message: `unknown style "${input.style}"; see GET /api/styles` }]
      : []),
  ]);
  return { request: { ...input, size, quality, n } satisfies GenerationRequest, style };
}

/**
 * Accepts a generation: the job and its quota in one transaction, then the message on
 * the queue. A `characterId` must name one of the requester's characters (404 otherwise,
 * before anything is taken), since the images carry it. With an idempotency key, the same body within 24 h answers the first answer
 * and queues nothing; another body with the key is a 409.
 */
export async function createGeneration(
  deps: CreateGenerationDeps,
  requester: Requester,
  input: Partial<GenerationRequest> & { prompt: string },
  options: { idempotencyKey?: string; correlationId: string },
): Promise<AcceptedJob> {
  const { request, style } = resolveRequest(input, deps.settings);
  if (request.characterId !== undefined) {
    await getOwnCharacter(deps, requester.userId, request.characterId);
  }
  return acceptJob(
    deps,
    requester.userId,
    ({ jobId, timestamp }): GenerationJob => ({
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
    }),
    {
      correlationId: options.correlationId,
      quotaPerDay: deps.settings.quotaPerDay,
      ...(options.idempotencyKey ? { idempotency: { key: options.idempotencyKey, body: input } } : {}),
    },
  );
}
