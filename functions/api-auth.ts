import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { cognitoUserDirectory } from '../shared/adapters/cognito-user-directory.ts';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { profiles } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { logOut, resetPassword } from '../shared/domain/accounts/accounts.ts';
import { isMfaChallenge, systemSleep } from '../shared/domain/accounts/ports.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { UnauthenticatedError } from '../shared/errors.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { created, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-auth.ts';
import { clearedRefreshCookie, refreshCookie, refreshTokenOf } from '../shared/http/session-cookie.ts';

const config = loadConfig(functionConfig['api-auth']);
const originSecret = await loadOriginSecret(config);
const directory = cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID, config.USER_POOL_ID);
const sessions = { directory, profiles: profiles(config), clock: systemClock, sleep: systemSleep };

export const handler = httpRouter(
  [
    bind(routes.signUp, async ({ body }) => created(await directory.signUp(body))),
    bind(routes.confirmSignUp, async ({ body }) => {
      await directory.confirmSignUp(body.email, body.code);
      return noContent();
    }),
    bind(routes.resendCode, async ({ body }) => {
      await directory.resendConfirmationCode(body.email);
      return noContent();
    }),
    bind(routes.logIn, async ({ body }) => {
      const result = await directory.logIn(body.email, body.password);
      // With MFA on, no token (and no cookie) until the authenticator's code answers.
      if (isMfaChallenge(result)) return ok(result);
      return {
        ...ok({ ...result, tokenType: 'Bearer' as const }),
        cookies: [refreshCookie(result.refreshToken)],
      };
    }),
    bind(routes.answerMfaChallenge, async ({ body }) => {
      const tokens = await directory.answerMfaChallenge(body.email, body.session, body.code);
      return {
        ...ok({ ...tokens, tokenType: 'Bearer' as const }),
        cookies: [refreshCookie(tokens.refreshToken)],
      };
    }),
    bind(routes.refresh, async ({ body, event }) => {
      const refreshToken = body.refreshToken ?? refreshTokenOf(event);
      if (!refreshToken) throw new UnauthenticatedError('There is no session to renew; log in.');
      const tokens = await directory.refresh(refreshToken);
      return { ...ok({ ...tokens, tokenType: 'Bearer' as const }), cookies: [refreshCookie(refreshToken)] };
    }),
    bind(routes.logOut, async ({ caller }) => {
      await logOut(sessions, caller);
      return { ...noContent(), cookies: [clearedRefreshCookie()] };
    }),
    bind(routes.forgotPassword, async ({ body }) => {
      await directory.forgotPassword(body.email);
      return noContent();
    }),
    bind(routes.resetPassword, async ({ body }) => {
      await resetPassword(sessions, body);
      return noContent();
    }),
  ],
  { ...authOptions(sessions.profiles), originSecret },
);
