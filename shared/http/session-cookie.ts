import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { userPool } from '../resources.ts';

/**
 * The web gallery's refresh token, in a cookie no script can read (HttpOnly), sent only over
 * HTTPS (Secure; browsers count 127.0.0.1 as secure too), only by pages of this site
 * (SameSite=Strict) and only to the auth routes (Path). It lives as long as the refresh token,
 * so a new tab or a restarted browser stays logged in. The CLI sends the token in the body.
 */
const name = 'easel_refresh';
const attributes = 'Path=/api/auth; HttpOnly; Secure; SameSite=Strict';
const lifetimeSeconds = userPool.refreshTokenValidityDays * 24 * 60 * 60;

export const refreshCookie = (refreshToken: string) =>
  `${name}=${refreshToken}; Max-Age=${lifetimeSeconds}; ${attributes}`;

export const clearedRefreshCookie = () => `${name}=; Max-Age=0; ${attributes}`;

/** The refresh token of the request's cookie (API Gateway payload 2.0 lists them in `cookies`). */
export function refreshTokenOf(event: Pick<APIGatewayProxyEventV2, 'cookies'>): string | undefined {
  for (const cookie of event.cookies ?? []) {
    const [key, ...value] = cookie.split('=');
    if (key?.trim() === name && value.join('=')) return value.join('=');
  }
  return undefined;
}
