import { monotonicFactory } from 'ulid';

/**
 * New ids: ULIDs, which sort by creation time, and strictly increase even within one
 * millisecond, so "newest first" holds between the images a single job plans.
 */
export const newId = monotonicFactory();
