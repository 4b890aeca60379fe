import { UnauthenticatedError } from '../errors.ts';
import type { Caller, CallerGuard } from '../http/handler.ts';

export interface SessionGuardOptions {
  /** Epoch seconds: tokens issued at or before it were signed out. */
  readonly revokedBefore: (userId: string) => Promise<number | undefined>;
  /** How long one container trusts what it read; short, since another container may log the user out. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * Refuses tokens issued before the user's last sign-out. One `GetItem` per user, cached
 * briefly per container; a sign-out in this container is seen at once (`forget`).
 */
export function createSessionGuard(options: SessionGuardOptions) {
  const cacheMs = options.cacheMs ?? 5000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: number | undefined; until: number }>();

  const guard: CallerGuard = async (caller: Caller) => {
    let entry = cache.get(caller.userId);
    if (!entry || entry.until <= now()) {
      entry = { value: await options.revokedBefore(caller.userId), until: now() + cacheMs };
      cache.set(caller.userId, entry);
    }
    if (entry.value !== undefined && caller.tokenIssuedAt <= entry.value) {
      throw new UnauthenticatedError('This session has been signed out; log in again.');
    }
  };
  return Object.assign(guard, { forget: (userId: string) => cache.delete(userId) });
}

export type SessionGuard = ReturnType<typeof createSessionGuard>;
