import type { SessionState } from '../domain/accounts/ports.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { Caller, CallerGuard } from '../http/handler.ts';

/**
 * Refuses tokens issued at or before the user's last sign-out (`revokedBefore`, epoch
 * seconds; why whole seconds are enough is in `endSessions`). It reads the time on every
 * protected request, one strongly consistent `GetItem`: a cache would let a signed-out token
 * through in every other warm container for as long as it lasted, and the contract is that
 * the old token gets 401 at once. The read is of the whole profile, which the caller then
 * carries, so a route that needs it (the name work is shown with) does not read it again.
 */
export function createSessionGuard(read: (userId: string) => Promise<SessionState>): CallerGuard {
  return async (caller: Caller) => {
    const { revokedBefore, profile } = await read(caller.userId);
    if (revokedBefore !== undefined && caller.tokenIssuedAt <= revokedBefore) {
      throw new UnauthenticatedError('This session has been signed out; log in again.');
    }
    return profile ? { ...caller, profile } : caller;
  };
}
