import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cognitoUserDirectory } from '../../shared/adapters/cognito-user-directory.ts';
import { DomainError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const directory = cognitoUserDirectory(new CognitoIdentityProviderClient({}), 'client-1');

beforeEach(() => cognito.reset());

const initiateAuthThrows =
  'FeatureUnavailableInTier Forbidden InternalError InvalidEmailRoleAccessPolicy InvalidLambdaResponse InvalidParameter InvalidSmsRoleAccessPolicy InvalidSmsRoleTrustRelationship InvalidUserPoolConfiguration NotAuthorized OperationNotEnabled PasswordResetRequired ResourceNotFound TooManyRequests UnexpectedLambda UnsupportedOperation UserLambdaValidation UserNotConfirmed UserNotFound';

/** Each route's Cognito call, with every exception the SDK documents for it. */
const calls = {
  signUp: {
    run: () => directory.signUp({ email: 'ada@example.com', password: 'Correct-Horse-9' }),
    throws:
      'CodeDeliveryFailure Forbidden InternalError InvalidEmailRoleAccessPolicy InvalidLambdaResponse InvalidParameter InvalidPassword InvalidSmsRoleAccessPolicy InvalidSmsRoleTrustRelationship LimitExceeded NotAuthorized OperationNotEnabled ResourceNotFound TooManyRequests UnexpectedLambda UserLambdaValidation UsernameExists',
  },
  confirm: {
    run: () => directory.confirmSignUp('ada@example.com', '123456'),
    throws:
      'AliasExists CodeMismatch ExpiredCode Forbidden InternalError InvalidLambdaResponse InvalidParameter LimitExceeded NotAuthorized OperationNotEnabled ResourceNotFound TooManyFailedAttempts TooManyRequests UnexpectedLambda UserLambdaValidation UserNotFound',
  },
  resend: {
    run: () => directory.resendConfirmationCode('ada@example.com'),
    throws:
      'CodeDeliveryFailure Forbidden InternalError InvalidEmailRoleAccessPolicy InvalidLambdaResponse InvalidParameter InvalidSmsRoleAccessPolicy InvalidSmsRoleTrustRelationship LimitExceeded NotAuthorized OperationNotEnabled ResourceNotFound TooManyRequests UnexpectedLambda UserLambdaValidation UserNotFound',
  },
  logIn: {
    run: () => directory.logIn('ada@example.com', 'Correct-Horse-9'),
    throws: initiateAuthThrows,
  },
  refresh: {
    run: () => directory.refresh('refresh-token'),
    throws: initiateAuthThrows,
  },
  signOut: {
    run: () => directory.signOutEverywhere('access-token'),
    throws:
      'Forbidden InternalError InvalidParameter NotAuthorized OperationNotEnabled PasswordResetRequired ResourceNotFound TooManyRequests UserNotConfirmed',
  },
  forgot: {
    run: () => directory.forgotPassword('ada@example.com'),
    throws:
      'CodeDeliveryFailure Forbidden InternalError InvalidEmailRoleAccessPolicy InvalidLambdaResponse InvalidParameter InvalidSmsRoleAccessPolicy InvalidSmsRoleTrustRelationship LimitExceeded NotAuthorized OperationNotEnabled ResourceNotFound TooManyRequests UnexpectedLambda UserLambdaValidation UserNotFound',
  },
  reset: {
    run: () => directory.resetPassword('ada@example.com', '123456', 'Battery-Staple-7'),
    throws:
      'CodeMismatch ExpiredCode Forbidden InternalError InvalidLambdaResponse InvalidParameter InvalidPassword LimitExceeded NotAuthorized OperationNotEnabled PasswordHistoryPolicyViolation ResourceNotFound TooManyFailedAttempts TooManyRequests UnexpectedLambda UserLambdaValidation UserNotConfirmed UserNotFound',
  },
  attributes: {
    run: () => directory.attributes('access-token'),
    throws:
      'Forbidden InternalError InvalidParameter NotAuthorized OperationNotEnabled PasswordResetRequired ResourceNotFound TooManyRequests UserNotConfirmed UserNotFound',
  },
  mfaChallenge: {
    run: () => directory.answerMfaChallenge('ada@example.com', 'session', '123456'),
    throws:
      'AliasExists CodeMismatch ExpiredCode Forbidden InternalError InvalidEmailRoleAccessPolicy InvalidLambdaResponse InvalidParameter InvalidPassword InvalidSmsRoleAccessPolicy InvalidSmsRoleTrustRelationship InvalidUserPoolConfiguration MFAMethodNotFound NotAuthorized OperationNotEnabled PasswordHistoryPolicyViolation PasswordResetRequired ResourceNotFound SoftwareTokenMFANotFound TooManyRequests UnexpectedLambda UserLambdaValidation UserNotConfirmed UserNotFound',
  },
  mfaAssociate: {
    run: () => directory.associateAuthenticator('access-token'),
    throws:
      'ConcurrentModification Forbidden InternalError InvalidParameter NotAuthorized OperationNotEnabled ResourceNotFound SoftwareTokenMFANotFound',
  },
  mfaVerify: {
    run: () => directory.verifyAuthenticator('access-token', '123456'),
    throws:
      'CodeMismatch EnableSoftwareTokenMFA Forbidden InternalError InvalidParameter InvalidUserPoolConfiguration NotAuthorized OperationNotEnabled PasswordResetRequired ResourceNotFound SoftwareTokenMFANotFound TooManyRequests UserNotConfirmed UserNotFound',
  },
  mfaPreference: {
    run: () => directory.setAuthenticatorMfa('access-token', true),
    throws:
      'Forbidden InternalError InvalidParameter NotAuthorized OperationNotEnabled PasswordResetRequired ResourceNotFound UserNotConfirmed UserNotFound',
  },
} as const;

type Operation = keyof typeof calls;

/** The SDK's own exception class of that name, as the client throws it. */
function exception(name: string, message = 'Cognito refused it.') {
  const Type = (sdk as unknown as Record<string, unknown>)[`${name}Exception`];
  if (typeof Type !== 'function') throw new Error(`the SDK has no ${name}Exception`);
  return new (Type as new (options: object) => Error)({ message, $metadata: {} });
}

/** What the route answers when its call raises `name`: an API error, or nothing (a silent 204). */
async function answerTo(operation: Operation, name: string, message?: string) {
  const call = calls[operation];
  cognito.onAnyCommand().rejects(exception(name, message));
  try {
    await call.run();
    return 'silent';
  } catch (error) {
    const answer = httpErrorOf(error);
    if (!(error instanceof DomainError) || !answer) throw error;
    return { status: answer.status, code: answer.code, field: answer.details?.[0]?.field };
  }
}

describe('every Cognito exception of the auth routes', () => {
  const cases = Object.entries(calls).flatMap(([operation, call]) =>
    call.throws.split(' ').map((name) => [operation as Operation, name] as const),
  );

  it.each(cases)(
    '%s maps %sException to an API error of the contract, never a 500',
    async (operation, name) => {
      const answer = await answerTo(operation, name);
      if (answer === 'silent') {
        expect(['forgot', 'resend']).toContain(operation);
        return;
      }
      expect(answer.status).not.toBe(500);
      expect(answer.code).toMatch(/^[A-Z_]+$/);
    },
  );

  it('answers an exception the SDK does not model as the service being unavailable', async () => {
    cognito.on(SignUpCommand).rejects(
      new CognitoIdentityProviderServiceException({
        name: 'BrandNewException',
        $fault: 'server',
        message: 'new',
        $metadata: {},
      }),
    );
    const error = await calls.signUp.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(httpErrorOf(error)).toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('leaves errors that are not Cognito’s to the one error handler', async () => {
    cognito.on(SignUpCommand).rejects(new TypeError('a bug'));
    await expect(calls.signUp.run()).rejects.toBeInstanceOf(TypeError);
  });
});

describe('the answers people see', () => {
  it.each([
    ['confirm', 'CodeMismatch', 400, 'CODE_MISMATCH'],
    ['confirm', 'ExpiredCode', 400, 'CODE_EXPIRED'],
    ['confirm', 'UserNotFound', 400, 'CODE_MISMATCH'],
    ['confirm', 'NotAuthorized', 400, 'CODE_MISMATCH'],
    ['confirm', 'AliasExists', 409, 'USERNAME_EXISTS'],
    ['confirm', 'TooManyFailedAttempts', 429, 'RATE_LIMITED'],
    ['reset', 'CodeMismatch', 400, 'CODE_MISMATCH'],
    ['reset', 'UserNotFound', 400, 'CODE_MISMATCH'],
    ['reset', 'UserNotConfirmed', 400, 'CODE_MISMATCH'],
    ['reset', 'InvalidParameter', 400, 'CODE_MISMATCH'],
    ['reset', 'ExpiredCode', 400, 'CODE_EXPIRED'],
    ['mfaChallenge', 'CodeMismatch', 400, 'CODE_MISMATCH'],
    ['mfaChallenge', 'NotAuthorized', 401, 'SESSION_EXPIRED'],
    ['mfaChallenge', 'ExpiredCode', 400, 'CODE_EXPIRED'],
    ['mfaVerify', 'CodeMismatch', 400, 'CODE_MISMATCH'],
    ['mfaVerify', 'EnableSoftwareTokenMFA', 400, 'CODE_MISMATCH'],
    ['mfaVerify', 'SoftwareTokenMFANotFound', 409, 'CONFLICT'],
    ['mfaPreference', 'InvalidParameter', 409, 'CONFLICT'],
    ['mfaAssociate', 'NotAuthorized', 401, 'UNAUTHENTICATED'],
    ['signUp', 'UsernameExists', 409, 'USERNAME_EXISTS'],
    ['signUp', 'NotAuthorized', 403, 'FORBIDDEN'],
    ['signUp', 'InvalidParameter', 400, 'VALIDATION_FAILED'],
    ['signUp', 'UserLambdaValidation', 400, 'VALIDATION_FAILED'],
    ['signUp', 'CodeDeliveryFailure', 503, 'UPSTREAM_UNAVAILABLE'],
    ['signUp', 'InternalError', 503, 'UPSTREAM_UNAVAILABLE'],
    ['signUp', 'Forbidden', 403, 'FORBIDDEN'],
    ['logIn', 'NotAuthorized', 401, 'INVALID_CREDENTIALS'],
    ['logIn', 'UserNotFound', 401, 'INVALID_CREDENTIALS'],
    ['logIn', 'UserNotConfirmed', 401, 'USER_NOT_CONFIRMED'],
    ['logIn', 'PasswordResetRequired', 401, 'PASSWORD_RESET_REQUIRED'],
    ['logIn', 'TooManyRequests', 429, 'RATE_LIMITED'],
    ['logIn', 'InvalidUserPoolConfiguration', 503, 'UPSTREAM_UNAVAILABLE'],
    ['refresh', 'NotAuthorized', 401, 'UNAUTHENTICATED'],
    ['signOut', 'NotAuthorized', 401, 'UNAUTHENTICATED'],
    ['attributes', 'UserNotFound', 401, 'UNAUTHENTICATED'],
    ['forgot', 'LimitExceeded', 429, 'RATE_LIMITED'],
    ['forgot', 'ResourceNotFound', 503, 'UPSTREAM_UNAVAILABLE'],
  ] as const)('%s maps %sException to %i %s', async (operation, name, status, code) => {
    expect(await answerTo(operation, name)).toMatchObject({ status, code });
  });

  it.each([
    ['forgot', 'UserNotFound'],
    ['forgot', 'NotAuthorized'],
    ['forgot', 'InvalidParameter'],
    ['forgot', 'UserNotConfirmed'],
    ['resend', 'UserNotFound'],
    ['resend', 'InvalidParameter'],
  ] as const)(
    '%s answers %sException as success, telling nothing of the account',
    async (operation, name) => {
      expect(await answerTo(operation, name)).toBe('silent');
    },
  );

  it('names the field of a refused password: password on sign-up, newPassword on reset', async () => {
    expect(await answerTo('signUp', 'InvalidPassword', 'Password not long enough')).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'password',
    });
    for (const name of ['InvalidPassword', 'PasswordHistoryPolicyViolation']) {
      expect(await answerTo('reset', name)).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        field: 'newPassword',
      });
    }
  });
});
