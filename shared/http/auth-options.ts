import { createSessionGuard } from '../auth/session-guard.ts';
import type { ProfileStore } from '../domain/accounts/ports.ts';
import type { HttpRouteOptions } from './handler.ts';

/** How a function's routes know their caller: the sign-out check on every verified caller. */
export function authOptions(profiles: Pick<ProfileStore, 'session'>): HttpRouteOptions {
  return { guardCaller: createSessionGuard((userId) => profiles.session(userId)) };
}
