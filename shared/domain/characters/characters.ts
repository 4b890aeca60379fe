import { DomainError, NotFoundError } from '../../errors.ts';
import type { Job } from '../generation/jobs.ts';
import type { CharacterStore, Clock, IdGenerator } from '../ports.ts';
import type { CharacterAttributes } from './attributes.ts';
import { portraitPrompt } from './portrait-prompt.ts';
import type { CharacterRecord, PortraitJobs } from './ports.ts';

export interface CharacterDeps {
  readonly characters: CharacterStore;
  readonly portraits: PortraitJobs;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  /** Removes an image wholly: its objects and its records. */
  readonly removeImage: (imageId: string) => Promise<void>;
}

/** In a change, `null` clears an attribute; absent leaves it as it is. */
export type CharacterChanges = { [K in keyof CharacterAttributes]?: CharacterAttributes[K] | null };

/** Statistics group ages into these brackets. */
export function ageBracket(age: number | undefined): string {
  if (age === undefined) return 'unspecified';
  if (age < 13) return '0-12';
  if (age < 20) return '13-19';
  if (age >= 100) return '100+';
  const decade = Math.floor(age / 10) * 10;
  return `${decade}-${decade + 9}`;
}

export function genderKey(gender: string | undefined): string {
  return gender?.trim().toLowerCase() || 'unspecified';
}

export async function getOwnCharacter(
  deps: { readonly characters: Pick<CharacterStore, 'get'> },
  ownerId: string,
  characterId: string,
) {
  const character = await deps.characters.get(characterId);
  if (!character || character.ownerId !== ownerId) throw new NotFoundError('No such character.');
  return character;
}

/**
 * Starts a portrait job for the character. When the job cannot be accepted (over quota,
 * the queue down), the character keeps the reason as its portrait error; `rethrow` also
 * answers the caller with it.
 */
async function startPortrait(
  deps: CharacterDeps,
  owner: Owner,
  character: CharacterRecord,
  correlationId: string,
  rethrow: boolean,
): Promise<string | undefined> {
  let claimed: string | undefined;
  try {
    return await deps.portraits.start({
      owner,
      characterId: character.characterId,
      title: character.name,
      prompt: portraitPrompt(character),
      correlationId,
      claim: async (jobId) => {
        await deps.characters.claimPortrait(character.characterId, jobId);
        claimed = jobId;
      },
    });
  } catch (error) {
    if (!(error instanceof DomainError) || !claimed) throw error;
    await deps.characters.portraitProgress(character.characterId, claimed, {
      status: 'FAILED',
      error: { code: error.code, message: error.message },
    });
    if (rethrow) throw error;
    return undefined;
  }
}

export interface Owner {
  readonly userId: string;
  readonly displayName: string;
}

/** Saves the character first: it is kept whatever happens to its portrait. */
export async function createCharacter(
  deps: CharacterDeps,
  owner: Owner,
  input: CharacterAttributes & { generatePortrait?: boolean },
  correlationId: string,
) {
  const { generatePortrait = true, ...attributes } = input;
  const now = deps.clock.now().toISOString();
  const character: CharacterRecord = {
    ...attributes,
    characterId: deps.newId(),
    ownerId: owner.userId,
    portraitStatus: 'NONE',
    createdAt: now,
    updatedAt: now,
  };
  await deps.characters.create(character);
  if (generatePortrait) await startPortrait(deps, owner, character, correlationId, false);
  return (await deps.characters.get(character.characterId))!;
}

function applyChanges(character: CharacterRecord, changes: CharacterChanges): CharacterRecord {
  const next: Record<string, unknown> = { ...character };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as CharacterRecord;
}

/**
 * Changes attributes. The portrait is made again when the prompt it came from changed
 * (so not for `notes` alone), unless `regeneratePortrait` says otherwise.
 */
export async function updateCharacter(
  deps: CharacterDeps,
  owner: Owner,
  characterId: string,
  changes: CharacterChanges & { regeneratePortrait?: boolean },
  correlationId: string,
) {
  const before = await getOwnCharacter(deps, owner.userId, characterId);
  const { regeneratePortrait, ...attributeChanges } = changes;
  const after = { ...applyChanges(before, attributeChanges), updatedAt: deps.clock.now().toISOString() };
  await deps.characters.replace(before, after);
  if (regeneratePortrait ?? portraitPrompt(before) !== portraitPrompt(after)) {
    await startPortrait(deps, owner, after, correlationId, false);
  }
  return (await deps.characters.get(characterId))!;
}

export async function requestPortrait(
  deps: CharacterDeps,
  owner: Owner,
  characterId: string,
  correlationId: string,
) {
  const character = await getOwnCharacter(deps, owner.userId, characterId);
  const jobId = await startPortrait(deps, owner, character, correlationId, true);
  return { jobId: jobId!, status: 'QUEUED' as const };
}

/** The portrait goes first, then the character: a retry after a failure finishes the work. */
export async function deleteCharacter(
  deps: Pick<CharacterDeps, 'characters' | 'removeImage'>,
  ownerId: string,
  characterId: string,
) {
  const character = await getOwnCharacter(deps, ownerId, characterId);
  if (character.portraitImageId) await deps.removeImage(character.portraitImageId);
  await deps.characters.delete(character);
}

/** Counters kept by every write, plus the newest character: the same cost at 10 characters or 10 million. */
export async function characterStats(deps: Pick<CharacterDeps, 'characters'>, ownerId: string) {
  const [counters, newest] = await Promise.all([
    deps.characters.counters(ownerId),
    deps.characters.listByOwner(ownerId, { limit: 1 }),
  ]);
  const latest = newest.items[0];
  return {
    ...counters,
    latest: latest
      ? { characterId: latest.characterId, name: latest.name, createdAt: latest.createdAt }
      : null,
  };
}

/**
 * What a portrait job's progress does to its character. A job that is no longer the
 * character's newest (or whose character is gone) never replaces the portrait: its
 * image is removed instead. A new portrait replaces the previous one, which is removed.
 */
export const portraitLifecycle = {
  async running(deps: Pick<CharacterDeps, 'characters'>, job: Job) {
    await deps.characters.portraitProgress(characterOf(job), job.jobId, { status: 'RUNNING' });
  },
  async succeeded(
    deps: Pick<CharacterDeps, 'characters' | 'removeImage'>,
    job: Job,
    imageIds: readonly string[],
  ) {
    const imageId = imageIds[0]!;
    const result = await deps.characters.portraitProgress(characterOf(job), job.jobId, {
      status: 'READY',
      imageId,
    });
    if (!result.applied) await deps.removeImage(imageId);
    else if (result.previousImageId && result.previousImageId !== imageId)
      await deps.removeImage(result.previousImageId);
  },
  async failed(deps: Pick<CharacterDeps, 'characters'>, job: Job, error: { code: string; message: string }) {
    await deps.characters.portraitProgress(characterOf(job), job.jobId, { status: 'FAILED', error });
  },
};

function characterOf(job: Job): string {
  const characterId = 'characterId' in job.request ? job.request.characterId : undefined;
  if (!characterId) throw new Error(`portrait job ${job.jobId} names no character`);
  return characterId;
}

/** The character as the API shows it. */
export function characterView(
  character: CharacterRecord,
  urls?: { original: string; thumbnail: string; display?: string },
) {
  const { ownerId: _owner, portraitJobId, ...shown } = character;
  const underWay = character.portraitStatus === 'QUEUED' || character.portraitStatus === 'RUNNING';
  return {
    ...shown,
    ...(underWay && portraitJobId ? { jobId: portraitJobId } : {}),
    ...(urls ? { urls } : {}),
  };
}
