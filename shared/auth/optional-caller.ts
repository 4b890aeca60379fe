import { UnauthenticatedError } from '../errors.ts';
import type { OptionalCallerResolver } from '../http/handler.ts';
import { bearerToken } from './bearer-token.ts';
import type { TokenVerifier } from './token-verifier.ts';

/**
 * Public routes that personalise have no authorizer (an HTTP API authorizer cannot be
 * optional), so they verify a token themselves: none sent is anonymous, a bad one is 401.
 */
export function optionalCaller(verify: TokenVerifier): OptionalCallerResolver {
  return async (event) => {
    const header = event.headers?.authorization;
    if (!header) return undefined;
    const token = bearerToken(header);
    if (!token) throw new UnauthenticatedError('The Authorization header must be "Bearer <access token>".');
    const verified = await verify(token);
    return {
      userId: verified.userId,
      username: verified.username,
      tokenIssuedAt: verified.issuedAt,
      accessToken: token,
    };
  };
}
