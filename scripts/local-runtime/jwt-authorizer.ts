import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.ts';
import type { JwtAuthorizer } from '../assembly/runtime-model.ts';

/** Checks the `Authorization` header of a request to a route with this authorizer and these scopes. */
export type AuthorizeRequest = (
  authorization: string | undefined,
  scopes: readonly string[],
) => Promise<JwtPayload>;

/**
 * API Gateway's JWT authorizer, and no more: the token (alone, or after `Bearer `),
 * its signature against the issuer's keys (fetched from `jwksUri`, where the emulator
 * serves them), the issuer, `exp` and `nbf`, the audience (`aud`, or `client_id` when
 * there is no `aud`), and at least one of the route's scopes when it names any. It does
 * not look at `token_use`: telling access tokens from ID tokens is the product's job.
 */
export function createJwtAuthorizer(authorizer: JwtAuthorizer, jwksUri: string): AuthorizeRequest {
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      fetch: async () => {
        const response = await fetch(jwksUri);
        if (!response.ok) throw new Error(`JWKS fetch from ${jwksUri} answered ${response.status}`);
        return response.arrayBuffer();
      },
    },
  });
  const verifier = JwtRsaVerifier.create(
    { issuer: authorizer.issuer, audience: null, jwksUri },
    { jwksCache },
  );

  return async (authorization, scopes) => {
    const token = authorization?.trim().replace(/^Bearer\s+/i, '');
    if (!token) throw new UnauthenticatedError('A bearer access token is required.');
    let payload: JwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch {
      throw new UnauthenticatedError('The access token is invalid or has expired.');
    }
    // API Gateway evaluates `aud` when the token has one, `client_id` only when it has none.
    const audience = payload.aud !== undefined ? [payload.aud].flat() : [payload.client_id];
    if (!audience.some((value) => typeof value === 'string' && authorizer.audience.includes(value))) {
      throw new UnauthenticatedError('The access token was not issued for this API.');
    }
    if (scopes.length > 0) {
      const granted = String(payload.scope ?? payload.scp ?? '').split(' ');
      if (!scopes.some((scope) => granted.includes(scope))) {
        throw new ForbiddenError('The token does not carry a scope this route requires.');
      }
    }
    return payload;
  };
}
