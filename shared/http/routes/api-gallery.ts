import { ErrorBody } from '../../schemas/common.ts';
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
    auth: 'optional',
    summary:
      'Public, READY images, newest first or most liked within a period; q finds those with every word, style those of one style',
    tags: ['gallery'],
    request: { query: GalleryQuery },
    responses: {
      200: {
        description: 'A page of public images (with likedByMe when a token is sent)',
        schema: ImagePage,
      },
      400: { description: '`VALIDATION_FAILED`: e.g. an unknown style', schema: ErrorBody },
    },
    cache: sharedCaches.live,
  }),
} satisfies Record<string, RouteDefinition>;
