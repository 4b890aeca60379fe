import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * New ids: ULIDs, which sort by creation time, and strictly increase even within one
 * millisecond, so "newest first" holds between the images a single job plans.
 */
export const newId = /* @__PURE__ */ monotonicFactory();

/** 128 random bits, URL-safe: a part of an address that cannot be guessed. */
export const newToken = () => randomBytes(16).toString('base64url');
