import type { JobError } from '../generation/jobs.ts';
import type { Page, PageKey } from '../generation/ports.ts';
import type { CharacterAttributes } from './attributes.ts';

export type PortraitStatus = 'NONE' | 'QUEUED' | 'RUNNING' | 'READY' | 'FAILED';

export interface CharacterRecord extends CharacterAttributes {
  readonly characterId: string;
  readonly ownerId: string;
  readonly portraitStatus: PortraitStatus;
  readonly portraitImageId?: string;
  readonly portraitError?: JobError;
  /** The job of the newest portrait asked for: only its outcome may change the portrait. */
  readonly portraitJobId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CharacterCounters {
  readonly total: number;
  readonly withPortrait: number;
  readonly byGender: Record<string, number>;
  readonly byAgeBracket: Record<string, number>;
}

export interface CharacterStore {
  /** Writes the character and counts it in the owner's statistics, together. */
  create(character: CharacterRecord): Promise<void>;
  get(characterId: string): Promise<CharacterRecord | undefined>;
  listByOwner(
    ownerId: string,
    options: { limit: number; startKey?: PageKey },
  ): Promise<Page<CharacterRecord>>;
  /**
   * Writes the attributes of `after` (never its portrait fields), moving the statistics
   * with them; throws `ConflictError` if gender or age changed meanwhile.
   */
  replace(before: CharacterRecord, after: CharacterRecord): Promise<void>;
  /** Makes `jobId` the character's newest portrait job (QUEUED); older jobs can no longer change it. */
  claimPortrait(characterId: string, jobId: string): Promise<void>;
  /** Removes the character and its place in the statistics, together. */
  delete(character: CharacterRecord): Promise<void>;
  counters(ownerId: string): Promise<CharacterCounters>;
  /**
   * Moves the portrait of the job `jobId` along (`updatedAt` stays the time of the last
   * change of attributes); a job that is no longer the character's newest changes nothing.
   */
  portraitProgress(
    characterId: string,
    jobId: string,
    change:
      | { status: 'RUNNING' }
      | { status: 'READY'; imageId: string }
      | { status: 'FAILED'; error: JobError },
  ): Promise<{ applied: boolean; previousImageId?: string }>;
}

/** Starts a portrait job for a character (the generation pipeline: quota, queue, worker). */
export interface PortraitJobs {
  /**
   * Accepts and queues the job, calling `claim` with its id before its message is
   * queued, so the worker never meets a job its character does not know. Answers the id.
   */
  start(input: {
    owner: { userId: string; displayName: string };
    characterId: string;
    /** The character's name: the portrait's title, where the prompt is the model's alone. */
    title: string;
    prompt: string;
    correlationId: string;
    claim: (jobId: string) => Promise<void>;
  }): Promise<string>;
}
