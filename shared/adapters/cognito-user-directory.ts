import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MfaChallenge, SessionTokens, UserDirectory } from '../domain/accounts/ports.ts';
import {
  ConflictError,
  type DomainError,
  ForbiddenError,
  RateLimitedError,
  UnauthenticatedError,
  UpstreamUnavailableError,
  ValidationError,
} from '../errors.ts';
import { logger } from '../logger.ts';
import { userPool } from '../resources.ts';

type Operation =
  | 'signUp'
  | 'confirm'
  | 'resend'
  | 'logIn'
  | 'refresh'
  | 'signOut'
  | 'forgot'
  | 'reset'
  | 'attributes'
  | 'mfaChallenge'
  | 'mfaSetup';

/** The pool's password policy as the person choosing a password needs it. */
export function passwordRule(policy = userPool.passwordPolicy): string {
  const needs = [
    policy.requireLowercase && 'a lowercase letter',
    policy.requireUppercase && 'an uppercase letter',
    policy.requireDigits && 'a digit',
    policy.requireSymbols && 'a symbol',
  ].filter((need): need is string => typeof need === 'string');
  const last = needs.pop();
  const list = needs.length ? `${needs.join(', ')} and ${last}` : last;
  return `Choose a password of at least ${policy.minLength} characters${list ? `, with ${list}` : ''}.`;
}

/** Which rule Cognito says the password broke, when it says (moto does not). */
function brokenPasswordRule(reason: string): string {
  if (/long enough/i.test(reason)) return 'This one is too short.';
  if (/uppercase/i.test(reason)) return 'This one has no uppercase letter.';
  if (/lowercase/i.test(reason)) return 'This one has no lowercase letter.';
  if (/numeric/i.test(reason)) return 'This one has no digit.';
  if (/symbol/i.test(reason)) return 'This one has no symbol.';
  return '';
}

const invalidCredentials = () =>
  new UnauthenticatedError('The e-mail or password is not right.', 'INVALID_CREDENTIALS');
const codeMismatch = (operation?: Operation) =>
  new ValidationError(
    operation === 'mfaChallenge' || operation === 'mfaSetup'
      ? 'The code is not right; enter the 6 digits your authenticator app shows now.'
      : 'The code is not right; check the latest e-mail.',
    undefined,
    'CODE_MISMATCH',
  );
const mfaSessionExpired = () =>
  new UnauthenticatedError(
    'The log-in took too long to finish; enter your e-mail and password again.',
    'SESSION_EXPIRED',
  );

/** What to answer instead of an error that would tell whether an e-mail is registered. */
const silent = Symbol('silent');

/**
 * Cognito's exceptions as the API's answers, every one of them: what the auth routes'
 * calls can raise (SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth,
 * GlobalSignOut, ForgotPassword, ConfirmForgotPassword, GetUser, RespondToAuthChallenge,
 * AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference) has an answer here, and
 * anything else is the service failing us (503), never a 500. Unknown users and wrong
 * passwords answer alike, and nothing but sign-up's 409 tells whether an e-mail has an account.
 */
export function mapCognitoError(error: unknown, operation: Operation): DomainError | typeof silent {
  if (!(error instanceof CognitoIdentityProviderServiceException)) throw error;
  const message = error.message;
  const passwordField = operation === 'reset' ? 'newPassword' : 'password';
  switch (error.name) {
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return new ConflictError('An account with this e-mail exists already.', 'USERNAME_EXISTS');
    case 'InvalidPasswordException': {
      // Cognito's (or moto's) wording is for developers; the rule is the pool's, in words.
      const words = [passwordRule(), brokenPasswordRule(message)].filter(Boolean).join(' ');
      return new ValidationError(words, [{ field: passwordField, message: words, reason: message }]);
    }
    case 'PasswordHistoryPolicyViolationException': {
      const reason = 'Choose a password you have not used recently.';
      return new ValidationError(reason, [{ field: passwordField, message: reason }]);
    }
    case 'CodeMismatchException':
    // VerifySoftwareToken's answer to a wrong code.
    case 'EnableSoftwareTokenMFAException':
      return codeMismatch(operation);
    case 'ExpiredCodeException':
      if (operation === 'mfaChallenge')
        return new ValidationError(
          'This code has been used already; enter the next one.',
          undefined,
          'CODE_EXPIRED',
        );
      return new ValidationError('The code has expired; ask for a new one.', undefined, 'CODE_EXPIRED');
    case 'SoftwareTokenMFANotFoundException':
      return new ConflictError('Set up an authenticator first: no set-up has been started.');
    case 'UserNotConfirmedException':
      if (operation === 'forgot' || operation === 'resend') return silent;
      if (operation === 'confirm' || operation === 'reset') return codeMismatch();
      return new UnauthenticatedError('Confirm your e-mail address first.', 'USER_NOT_CONFIRMED');
    case 'PasswordResetRequiredException':
      return new UnauthenticatedError('Reset your password to log in again.', 'PASSWORD_RESET_REQUIRED');
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return new RateLimitedError('Too many attempts; wait a little and try again.', 30);
    case 'CodeDeliveryFailureException':
      return new UpstreamUnavailableError('The e-mail with the code could not be sent; try again shortly.');
    case 'UserLambdaValidationException':
      return new ValidationError('The account service refused these details; check them and try again.');
    case 'ForbiddenException':
      return new ForbiddenError('The account service refused this request; try again later.');
    case 'UserNotFoundException':
    case 'NotAuthorizedException':
    case 'InvalidParameterException': {
      const answer = forUnknownOrRefused(operation, error.name, message);
      if (answer) return answer;
      break;
    }
  }
  // Throttled or failing service, or a pool misconfigured (roles, triggers, feature plan): ours to fix, the caller's to retry.
  logger.error('Cognito call failed', { operation, exception: error.name, reason: message });
  return new UpstreamUnavailableError('The account service is unavailable right now; try again shortly.');
}

function forUnknownOrRefused(
  operation: Operation,
  name: string,
  message: string,
): DomainError | typeof silent | undefined {
  switch (operation) {
    case 'mfaChallenge':
      // Cognito's answer to a session past its few minutes (or not one of its own).
      return mfaSessionExpired();
    case 'mfaSetup':
      if (name === 'InvalidParameterException')
        return new ConflictError('Set up an authenticator first: no set-up has been verified.');
      return new UnauthenticatedError('This session has been signed out; log in again.');
    case 'logIn':
      // Cognito tells a disabled account apart whatever the password; so does the person's answer.
      return /disabled/i.test(message)
        ? new UnauthenticatedError(
            'This account has been disabled, so it cannot log in. If you think that is a mistake, write to the people who run this Easel.',
            'INVALID_CREDENTIALS',
          )
        : invalidCredentials();
    case 'refresh':
      return new UnauthenticatedError('The refresh token is invalid, expired or revoked; log in again.');
    case 'signOut':
    case 'attributes':
      return new UnauthenticatedError('This session has been signed out; log in again.');
    case 'confirm':
    case 'reset':
      // An unknown or already confirmed account answers as a wrong code would.
      return codeMismatch();
    case 'forgot':
    case 'resend':
      return silent;
    case 'signUp':
      if (name === 'InvalidParameterException') return new ValidationError(message);
      if (name === 'NotAuthorizedException') return new ForbiddenError('Sign-up is closed.');
      return undefined;
  }
}

/** `userPoolId` only for the administrative calls (`signOutUser`); the rest is Cognito's public API. */
export function cognitoUserDirectory(
  client: CognitoIdentityProviderClient,
  clientId: string,
  userPoolId?: string,
): UserDirectory {
  async function call<T>(operation: Operation, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      const mapped = mapCognitoError(error, operation);
      if (mapped === silent) return undefined;
      throw mapped;
    }
  }

  function tokensOf(result: InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput | undefined) {
    const auth = result?.AuthenticationResult;
    if (!auth?.AccessToken) {
      throw new UnauthenticatedError(
        'This account must set a new password first: use "forgot password".',
        'PASSWORD_RESET_REQUIRED',
      );
    }
    return {
      accessToken: auth.AccessToken,
      idToken: auth.IdToken ?? '',
      refreshToken: auth.RefreshToken ?? '',
      expiresIn: Number(auth.ExpiresIn ?? 3600),
    } satisfies SessionTokens;
  }

  const attribute = (attributes: AttributeType[] | undefined, name: string) =>
    attributes?.find((a) => a.Name === name)?.Value;

  return {
    async signUp({ email, password, displayName }) {
      const result = await call('signUp', () =>
        client.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: email,
            Password: password,
            UserAttributes: [
              { Name: 'email', Value: email },
              ...(displayName ? [{ Name: 'name', Value: displayName }] : []),
            ],
          }),
        ),
      );
      return { userId: result!.UserSub!, confirmed: Boolean(result!.UserConfirmed) };
    },
    async confirmSignUp(email, code) {
      await call('confirm', () =>
        client.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }),
        ),
      );
    },
    async resendConfirmationCode(email) {
      await call('resend', () =>
        client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email })),
      );
    },
    async logIn(email, password) {
      const result = await call('logIn', () =>
        client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: password },
          }),
        ),
      );
      if (result?.ChallengeName === 'SOFTWARE_TOKEN_MFA' && result.Session) {
        return { challenge: 'SOFTWARE_TOKEN_MFA', session: result.Session } satisfies MfaChallenge;
      }
      return tokensOf(result);
    },
    async answerMfaChallenge(email, session, code) {
      const result = await call('mfaChallenge', () =>
        client.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: session,
            ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
          }),
        ),
      );
      return tokensOf(result);
    },
    async associateAuthenticator(accessToken) {
      const result = await call('mfaSetup', () =>
        client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken })),
      );
      if (!result?.SecretCode) throw new Error('Cognito answered no secret for the authenticator');
      return result.SecretCode;
    },
    async verifyAuthenticator(accessToken, code) {
      const result = await call('mfaSetup', () =>
        client.send(
          new VerifySoftwareTokenCommand({
            AccessToken: accessToken,
            UserCode: code,
            FriendlyDeviceName: 'Easel',
          }),
        ),
      );
      if (result?.Status !== 'SUCCESS') throw codeMismatch('mfaSetup');
    },
    async setAuthenticatorMfa(accessToken, enabled) {
      await call('mfaSetup', () =>
        client.send(
          new SetUserMFAPreferenceCommand({
            AccessToken: accessToken,
            SoftwareTokenMfaSettings: { Enabled: enabled, PreferredMfa: enabled },
          }),
        ),
      );
    },
    async refresh(refreshToken) {
      const result = await call('refresh', () =>
        client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }),
        ),
      );
      const { refreshToken: _unchanged, ...tokens } = tokensOf(result);
      return tokens;
    },
    async signOutEverywhere(accessToken) {
      await call('signOut', () => client.send(new GlobalSignOutCommand({ AccessToken: accessToken })));
    },
    async signOutUser(email) {
      if (!userPoolId) throw new Error('signOutUser needs the user pool id (USER_POOL_ID)');
      const pool = { UserPoolId: userPoolId, Username: email };
      await call('reset', () => client.send(new AdminUserGlobalSignOutCommand(pool)));
      const user = await call('reset', () => client.send(new AdminGetUserCommand(pool)));
      const userId = attribute(user?.UserAttributes, 'sub');
      if (!userId) throw new Error('Cognito answered a user without a sub');
      return userId;
    },
    async forgotPassword(email) {
      await call('forgot', () =>
        client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email })),
      );
    },
    async resetPassword(email, code, newPassword) {
      await call('reset', () =>
        client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: clientId,
            Username: email,
            ConfirmationCode: code,
            Password: newPassword,
          }),
        ),
      );
    },
    async attributes(accessToken) {
      const result = await call('attributes', () =>
        client.send(new GetUserCommand({ AccessToken: accessToken })),
      );
      return {
        email: attribute(result!.UserAttributes, 'email') ?? '',
        displayName: attribute(result!.UserAttributes, 'name'),
      };
    },
  };
}
