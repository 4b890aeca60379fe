import { optionalCaller } from '../auth/optional-caller.ts';
import { createSessionGuard } from '../auth/session-guard.ts';
import { createTokenVerifier } from '../auth/token-verifier.ts';
import type { ProfileStore } from '../domain/accounts/ports.ts';
import type { HttpRouteOptions } from './handler.ts';

/**
 * How a function's routes know their caller: the sign-out check on every verified caller,
 * and, for functions with `optional` routes, the token verification API Gateway cannot do.
 */
export function authOptions(
  profiles: Pick<ProfileStore, 'revokedBefore'>,
  pool?: { USER_POOL_ID: string; USER_POOL_CLIENT_ID: string; JWKS_URI?: string },
): HttpRouteOptions {
  return {
    guardCaller: createSessionGuard((userId) => profiles.revokedBefore(userId)),
    ...(pool
      ? {
          resolveOptionalCaller: optionalCaller(
            createTokenVerifier({
              userPoolId: pool.USER_POOL_ID,
              clientId: pool.USER_POOL_CLIENT_ID,
              jwksUri: pool.JWKS_URI,
            }),
          ),
        }
      : {}),
  };
}
