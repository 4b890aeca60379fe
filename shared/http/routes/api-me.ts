import {
  MfaDisableRequest,
  MfaSetup,
  MfaVerifyRequest,
  PatchProfileRequest,
  Profile,
} from '../../schemas/accounts.ts';
import { ErrorBody } from '../../schemas/common.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';

/**
 * The routes api-me serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  getMe: defineRoute({
    operationId: 'getMe',
    method: 'GET',
    path: '/api/me',
    function: 'api-me',
    auth: 'user',
    summary: 'My profile and usage today',
    tags: ['accounts'],
    responses: { 200: { description: 'The profile', schema: Profile } },
  }),
  patchMe: defineRoute({
    operationId: 'patchMe',
    method: 'PATCH',
    path: '/api/me',
    function: 'api-me',
    auth: 'user',
    summary: 'Change my display name or bio',
    tags: ['accounts'],
    request: { body: PatchProfileRequest },
    writeRate: 'profile',
    responses: { 200: { description: 'The profile', schema: Profile } },
  }),
  deleteMe: defineRoute({
    operationId: 'deleteMe',
    method: 'DELETE',
    path: '/api/me',
    function: 'api-me',
    auth: 'user',
    summary:
      'Delete my account and everything it owns; every token of mine stops working at once, the rest follows shortly',
    tags: ['accounts'],
    responses: { 202: { description: 'Accepted: the account is being deleted' } },
  }),
  setUpMfa: defineRoute({
    operationId: 'setUpMfa',
    method: 'POST',
    path: '/api/me/mfa/setup',
    function: 'api-me',
    auth: 'user',
    writeRate: 'profile',
    summary: 'Start turning on MFA: a new authenticator secret',
    tags: ['accounts'],
    responses: { 200: { description: 'The secret, and the same as an otpauth URI', schema: MfaSetup } },
  }),
  verifyMfa: defineRoute({
    operationId: 'verifyMfa',
    method: 'POST',
    path: '/api/me/mfa/verify',
    function: 'api-me',
    auth: 'user',
    writeRate: 'profile',
    summary: 'Turn MFA on with a code of the new authenticator',
    tags: ['accounts'],
    request: { body: MfaVerifyRequest },
    responses: {
      204: { description: 'MFA is on: logging in asks for a code' },
      400: { description: '`CODE_MISMATCH`', schema: ErrorBody },
      409: { description: 'No set-up was started', schema: ErrorBody },
    },
  }),
  disableMfa: defineRoute({
    operationId: 'disableMfa',
    method: 'DELETE',
    path: '/api/me/mfa',
    function: 'api-me',
    auth: 'user',
    writeRate: 'profile',
    summary: 'Turn MFA off (with a code of the authenticator, when given, checked first)',
    tags: ['accounts'],
    request: { body: MfaDisableRequest },
    responses: {
      204: { description: 'MFA is off' },
      400: { description: '`CODE_MISMATCH`', schema: ErrorBody },
    },
  }),
} satisfies Record<string, RouteDefinition>;
