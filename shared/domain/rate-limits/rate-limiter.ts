import type { WriteKind } from '../limits.ts';

/**
 * Per-user write rates (`writeRatesPerMinute`), kept where every container sees them, so
 * spreading requests over many Lambda containers does not multiply the limit.
 */
export interface RateLimiter {
  /**
   * Counts one write of this kind for the user, or throws `RateLimitedError`
   * (`RATE_LIMITED`, with the seconds until the next one is allowed) past the limit.
   */
  take(userId: string, kind: WriteKind): Promise<void>;
}
