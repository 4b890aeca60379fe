import {
  ConfirmRequest,
  EmailRequest,
  LoginRequest,
  LoginResult,
  MfaAnswerRequest,
  RefreshedTokens,
  RefreshRequest,
  ResetPasswordRequest,
  SignupRequest,
  SignupResponse,
  Tokens,
} from '../../schemas/accounts.ts';
import { ErrorBody } from '../../schemas/common.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { accountServiceErrors } from '../route-links.ts';

/**
 * The routes api-auth serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  signUp: defineRoute({
    operationId: 'signUp',
    method: 'POST',
    path: '/api/auth/signup',
    function: 'api-auth',
    auth: 'public',
    summary: 'Create an account; Cognito e-mails a confirmation code',
    tags: ['accounts'],
    request: { body: SignupRequest },
    responses: {
      201: { description: 'Created, not yet confirmed', schema: SignupResponse },
      409: { description: '`USERNAME_EXISTS`: the e-mail has an account', schema: ErrorBody },
      ...accountServiceErrors,
    },
  }),
  confirmSignUp: defineRoute({
    operationId: 'confirmSignUp',
    method: 'POST',
    path: '/api/auth/confirm',
    function: 'api-auth',
    auth: 'public',
    summary: 'Confirm the e-mail address with the code',
    tags: ['accounts'],
    request: { body: ConfirmRequest },
    responses: { 204: { description: 'Confirmed' }, ...accountServiceErrors },
  }),
  resendCode: defineRoute({
    operationId: 'resendCode',
    method: 'POST',
    path: '/api/auth/resend-code',
    function: 'api-auth',
    auth: 'public',
    summary: 'Send the confirmation code again',
    tags: ['accounts'],
    request: { body: EmailRequest },
    responses: { 204: { description: 'Sent, if there is an unconfirmed account' }, ...accountServiceErrors },
  }),
  logIn: defineRoute({
    operationId: 'logIn',
    method: 'POST',
    path: '/api/auth/login',
    function: 'api-auth',
    auth: 'public',
    summary: 'Log in with e-mail and password',
    tags: ['accounts'],
    request: { body: LoginRequest },
    responses: {
      200: {
        description:
          'Tokens; for a user with MFA on, instead, the challenge to answer with POST /api/auth/mfa',
        schema: LoginResult,
      },
      401: { description: '`INVALID_CREDENTIALS` or `USER_NOT_CONFIRMED`', schema: ErrorBody },
      ...accountServiceErrors,
    },
  }),
  answerMfaChallenge: defineRoute({
    operationId: 'answerMfaChallenge',
    method: 'POST',
    path: '/api/auth/mfa',
    function: 'api-auth',
    auth: 'public',
    summary: 'Finish a log-in with the code of the authenticator app',
    tags: ['accounts'],
    request: { body: MfaAnswerRequest },
    responses: {
      200: { description: 'Tokens', schema: Tokens },
      400: { description: '`CODE_MISMATCH`: not the code of now', schema: ErrorBody },
      401: { description: '`SESSION_EXPIRED`: log in again', schema: ErrorBody },
    },
  }),
  refresh: defineRoute({
    operationId: 'refresh',
    method: 'POST',
    path: '/api/auth/refresh',
    function: 'api-auth',
    auth: 'public',
    summary: 'New access and ID tokens from a refresh token',
    tags: ['accounts'],
    request: { body: RefreshRequest },
    responses: {
      200: { description: 'Tokens', schema: RefreshedTokens },
      401: {
        description:
          '`UNAUTHENTICATED`: no refresh token (neither in the body nor the cookie), or an invalid, expired or revoked one',
        schema: ErrorBody,
      },
      ...accountServiceErrors,
    },
  }),
  logOut: defineRoute({
    operationId: 'logOut',
    method: 'POST',
    path: '/api/auth/logout',
    function: 'api-auth',
    auth: 'user',
    summary: 'Sign out everywhere: every token of the user is revoked',
    tags: ['accounts'],
    responses: { 204: { description: 'Signed out' }, ...accountServiceErrors },
  }),
  forgotPassword: defineRoute({
    operationId: 'forgotPassword',
    method: 'POST',
    path: '/api/auth/password/forgot',
    function: 'api-auth',
    auth: 'public',
    summary: 'E-mail a password reset code',
    tags: ['accounts'],
    request: { body: EmailRequest },
    responses: { 204: { description: 'Sent, if there is such an account' }, ...accountServiceErrors },
  }),
  resetPassword: defineRoute({
    operationId: 'resetPassword',
    method: 'POST',
    path: '/api/auth/password/reset',
    function: 'api-auth',
    auth: 'public',
    summary: 'Set a new password with the e-mailed code',
    tags: ['accounts'],
    request: { body: ResetPasswordRequest },
    responses: { 204: { description: 'Password changed' }, ...accountServiceErrors },
  }),
} satisfies Record<string, RouteDefinition>;
