import { optionalCaller } from '../auth/optional-caller.ts';
import { createTokenVerifier } from '../auth/token-verifier.ts';
import type { ProfileStore } from '../domain/accounts/ports.ts';
import { authOptions } from './auth-options.ts';
import type { HttpRouteOptions } from './handler.ts';

/**
 * For functions with `optional` routes: the sign-out check, and the token verification API
 * Gateway cannot do there. In a module of its own, so that
 * only these functions carry the JWT verifier.
 */
export function optionalAuthOptions(
  profiles: Pick<ProfileStore, 'session'>,
  pool: { USER_POOL_ID: string; USER_POOL_CLIENT_ID: string; JWKS_URI?: string },
): HttpRouteOptions {
  return {
    ...authOptions(profiles),
    resolveOptionalCaller: optionalCaller(
      createTokenVerifier({
        userPoolId: pool.USER_POOL_ID,
        clientId: pool.USER_POOL_CLIENT_ID,
        jwksUri: pool.JWKS_URI,
      }),
    ),
  };
}
