import type { JobError } from '../generation/jobs.ts';
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
