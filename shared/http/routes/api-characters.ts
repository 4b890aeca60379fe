import {
  Character,
  CharacterIdParams,
  CharacterOptions,
  CharacterPage,
  CharacterStats,
  CreateCharacterRequest,
  PatchCharacterRequest,
} from '../../schemas/characters.ts';
import { ErrorBody } from '../../schemas/common.ts';
import { AcceptedJob, PageQuery } from '../../schemas/generation.ts';
import { sharedCaches } from '../cache-control.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { toCharacter, toJob } from '../route-links.ts';

/**
 * The routes api-characters serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  getCharacterOptions: defineRoute({
    operationId: 'getCharacterOptions',
    method: 'GET',
    path: '/api/characters/options',
    function: 'api-characters',
    auth: 'public',
    summary: 'Suggested values for each character attribute',
    tags: ['characters'],
    responses: { 200: { description: 'Attribute → suggested values', schema: CharacterOptions } },
    cache: sharedCaches.deployment,
  }),
  createCharacter: defineRoute({
    operationId: 'createCharacter',
    method: 'POST',
    path: '/api/characters',
    function: 'api-characters',
    auth: 'user',
    summary: 'Create a character; its portrait is generated unless generatePortrait is false',
    tags: ['characters'],
    request: { body: CreateCharacterRequest },
    writeRate: 'characters',
    responses: {
      201: {
        description: 'The character, saved whatever happens to its portrait',
        schema: Character,
        links: {
          character: toCharacter('getCharacter'),
          change: toCharacter('patchCharacter'),
          portrait: toCharacter('createPortrait'),
          delete: toCharacter('deleteCharacter'),
        },
      },
    },
  }),
  listCharacters: defineRoute({
    operationId: 'listCharacters',
    method: 'GET',
    path: '/api/characters',
    function: 'api-characters',
    auth: 'user',
    summary: 'My characters, newest first',
    tags: ['characters'],
    request: { query: PageQuery },
    responses: { 200: { description: 'A page of characters', schema: CharacterPage } },
  }),
  getCharacterStats: defineRoute({
    operationId: 'getCharacterStats',
    method: 'GET',
    path: '/api/characters/stats',
    function: 'api-characters',
    auth: 'user',
    summary: 'Statistics of my characters',
    tags: ['characters'],
    responses: { 200: { description: 'The statistics', schema: CharacterStats } },
  }),
  getCharacter: defineRoute({
    operationId: 'getCharacter',
    method: 'GET',
    path: '/api/characters/{characterId}',
    function: 'api-characters',
    auth: 'user',
    summary: 'One of my characters, with its portrait’s URLs',
    tags: ['characters'],
    request: { params: CharacterIdParams },
    responses: {
      200: { description: 'The character', schema: Character },
      404: { description: 'No such character of mine', schema: ErrorBody },
    },
  }),
  patchCharacter: defineRoute({
    operationId: 'patchCharacter',
    method: 'PATCH',
    path: '/api/characters/{characterId}',
    function: 'api-characters',
    auth: 'user',
    summary: 'Change attributes (null clears one); the portrait is made again when the prompt changed',
    tags: ['characters'],
    request: { params: CharacterIdParams, body: PatchCharacterRequest },
    writeRate: 'characters',
    responses: { 200: { description: 'The character', schema: Character } },
  }),
  createPortrait: defineRoute({
    operationId: 'createPortrait',
    method: 'POST',
    path: '/api/characters/{characterId}/portrait',
    function: 'api-characters',
    auth: 'user',
    summary: 'Generate the character’s portrait again',
    tags: ['characters'],
    request: { params: CharacterIdParams },
    writeRate: 'characters',
    responses: {
      202: { description: 'Queued', schema: AcceptedJob, links: { job: toJob } },
      429: {
        description: '`QUOTA_EXCEEDED` (the day’s images), or `RATE_LIMITED`; with Retry-After',
        schema: ErrorBody,
      },
    },
  }),
  deleteCharacter: defineRoute({
    operationId: 'deleteCharacter',
    method: 'DELETE',
    path: '/api/characters/{characterId}',
    function: 'api-characters',
    auth: 'user',
    summary: 'Delete the character and its portrait',
    tags: ['characters'],
    request: { params: CharacterIdParams },
    responses: { 204: { description: 'Deleted' } },
  }),
} satisfies Record<string, RouteDefinition>;
