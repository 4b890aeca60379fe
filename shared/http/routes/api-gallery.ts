import { ErrorBody } from '../../schemas/common.ts';
import { PageQuery } from '../../schemas/generation.ts';
import { GalleryQuery, ImagePage } from '../../schemas/images.ts';
import { PreviewParams, PublicProfile, UserIdParams } from '../../schemas/profiles.ts';
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
  getUser: defineRoute({
    operationId: 'getUser',
    method: 'GET',
    path: '/api/users/{userId}',
    function: 'api-gallery',
    auth: 'public',
    summary: 'A user’s public profile',
    tags: ['gallery'],
    request: { params: UserIdParams },
    responses: {
      200: { description: 'The profile', schema: PublicProfile },
      404: { description: 'No such user', schema: ErrorBody },
    },
    cache: sharedCaches.live,
  }),
  listUserImages: defineRoute({
    operationId: 'listUserImages',
    method: 'GET',
    path: '/api/users/{userId}/images',
    function: 'api-gallery',
    auth: 'public',
    summary: 'A user’s public images, newest first',
    tags: ['gallery'],
    request: { params: UserIdParams, query: PageQuery },
    responses: { 200: { description: 'A page of public images', schema: ImagePage } },
    cache: sharedCaches.live,
  }),
  getLinkPreview: defineRoute({
    operationId: 'getLinkPreview',
    method: 'GET',
    path: '/s/{imageId}',
    function: 'api-gallery',
    auth: 'public',
    summary:
      'A shared image’s link: an HTML page with Open Graph and Twitter card tags that sends people on to the image’s page in the gallery',
    tags: ['gallery'],
    request: { params: PreviewParams },
    responses: {
      200: { description: 'The page', contentType: 'text/html' },
      404: { description: 'No public image with this id: a plain page', contentType: 'text/html' },
    },
  }),
} satisfies Record<string, RouteDefinition>;
