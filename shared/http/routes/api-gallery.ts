import { GalleryQuery, ImagePage } from '../../schemas/images.ts';
import { sharedCaches } from '../cache-control.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';

/**
 * The routes api-gallery serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  getGallery: defineRoute({
    operationId: 'getGallery',
    method: 'GET',
    path: '/api/gallery',
    function: 'api-gallery',
    auth: 'public',
    summary: 'Public, READY images, newest first; q finds those with every word',
    tags: ['gallery'],
    request: { query: GalleryQuery },
    responses: { 200: { description: 'A page of public images', schema: ImagePage } },
    cache: sharedCaches.live,
  }),
} satisfies Record<string, RouteDefinition>;
