import { UnauthenticatedError } from '../errors.ts';
import type { Caller, CallerGuard } from '../http/handler.ts';

/**
 * Refuses tokens issued at or before the user's last sign-out (`revokedBefore`, epoch
 * seconds; why whole seconds are enough is in `endSessions`). It reads the time on every protected request, one strongly consistent
 * `GetItem`: a cache would let a signed-out token through in every other warm container
 * for as long as it lasted, and the contract is that the old token gets 401 at once.
 */
export function createSessionGuard(
  revokedBefore: (userId: string) => Promise<number | undefined>,
): CallerGuard {
  return async (caller: Caller) => {
    const before = await revokedBefore(caller.userId);
    if (before !== undefined && caller.tokenIssuedAt <= before) {
      throw new UnauthenticatedError('This session has been signed out; log in again.');
    }
  };
}
