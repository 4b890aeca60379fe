import { LiveTicket } from '../../schemas/live.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';

/**
 * The routes api-live serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  createLiveTicket: defineRoute({
    operationId: 'createLiveTicket',
    method: 'POST',
    path: '/api/live/ticket',
    function: 'api-live',
    auth: 'user',
    summary: 'A single-use ticket, valid 60 s, that opens the live-updates socket (GET /api/live?ticket=)',
    tags: ['live'],
    responses: { 201: { description: 'The ticket', schema: LiveTicket } },
  }),
} satisfies Record<string, RouteDefinition>;
