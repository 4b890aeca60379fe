import { PatchProfileRequest, Profile } from '../../schemas/accounts.ts';
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
    responses: { 200: { description: 'The profile', schema: Profile } },
  }),
} satisfies Record<string, RouteDefinition>;
