import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { UnauthenticatedError } from '../errors.ts';

export interface TokenVerifierOptions {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Where to fetch the pool's JWKS when it is not the issuer's own (the local emulator). */
  readonly jwksUri?: string;
}

export interface VerifiedToken {
  readonly userId: string;
  readonly username: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly claims: Readonly<Record<string, unknown>>;
}

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

/**
 * Verifies Cognito access tokens as API Gateway's JWT authorizer and the handler do
 * together: signature against the pool's JWKS, issuer, expiry, the app client id, and
 * `token_use: access` (an ID token is refused).
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const jwksUri = options.jwksUri;
  const jwksCache = jwksUri
    ? new SimpleJwksCache({
        fetcher: {
          fetch: async () => {
            const response = await fetch(jwksUri);
            if (!response.ok) throw new Error(`JWKS fetch from ${jwksUri} answered ${response.status}`);
            return response.arrayBuffer();
          },
        },
      })
    : undefined;
  const verifier = CognitoJwtVerifier.create(
    { userPoolId: options.userPoolId, tokenUse: 'access', clientId: options.clientId },
    jwksCache ? { jwksCache } : undefined,
  );
  return async (token) => {
    try {
      const payload = await verifier.verify(token);
      return {
        userId: payload.sub,
        username: String(payload.username ?? payload.sub),
        issuedAt: payload.iat,
        expiresAt: payload.exp,
        claims: payload as unknown as Record<string, unknown>,
      };
    } catch {
      throw new UnauthenticatedError('The access token is invalid or has expired.');
    }
  };
}
