import { ErrorBody } from '../../schemas/common.ts';
import { DescriptionUnderWay, PageQuery } from '../../schemas/generation.ts';
import {
  Image,
  ImageDetail,
  ImageIdParams,
  ImagePage,
  LikeState,
  ListImagesQuery,
  PatchImageRequest,
} from '../../schemas/images.ts';
import { sharedCaches } from '../cache-control.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { toImage, toJob } from '../route-links.ts';

/**
 * The routes api-images serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  listImages: defineRoute({
    operationId: 'listImages',
    method: 'GET',
    path: '/api/images',
    function: 'api-images',
    auth: 'user',
    summary: 'My images, newest first, optionally of one kind',
    tags: ['images'],
    request: { query: ListImagesQuery },
    responses: { 200: { description: 'A page of images', schema: ImagePage } },
  }),
  patchImage: defineRoute({
    operationId: 'patchImage',
    method: 'PATCH',
    path: '/api/images/{imageId}',
    function: 'api-images',
    auth: 'user',
    summary: 'Change the title or sharing of my image',
    tags: ['images'],
    request: { params: ImageIdParams, body: PatchImageRequest },
    writeRate: 'shares',
    responses: {
      200: { description: 'The image', schema: Image },
      409: { description: 'Only a READY image can be shared', schema: ErrorBody },
    },
  }),
  shareImage: defineRoute({
    operationId: 'shareImage',
    method: 'POST',
    path: '/api/images/{imageId}/share',
    function: 'api-images',
    auth: 'user',
    summary: 'Share my image in the public gallery',
    tags: ['images'],
    request: { params: ImageIdParams },
    writeRate: 'shares',
    responses: {
      200: { description: 'The image, public', schema: Image, links: { image: toImage } },
      409: { description: '`CONFLICT`: only a READY image can be shared', schema: ErrorBody },
    },
  }),
  unshareImage: defineRoute({
    operationId: 'unshareImage',
    method: 'DELETE',
    path: '/api/images/{imageId}/share',
    function: 'api-images',
    auth: 'user',
    summary: 'Take my image out of the public gallery and its search',
    tags: ['images'],
    request: { params: ImageIdParams },
    writeRate: 'shares',
    responses: { 200: { description: 'The image, private', schema: Image } },
  }),
  likeImage: defineRoute({
    operationId: 'likeImage',
    method: 'POST',
    path: '/api/images/{imageId}/like',
    function: 'api-images',
    auth: 'user',
    writeRate: 'likes',
    summary: 'Like an image I can see; liking it again changes nothing',
    tags: ['gallery'],
    request: { params: ImageIdParams },
    responses: {
      200: { description: 'The like and the image’s count', schema: LikeState },
      404: { description: 'Missing, or someone else’s private image', schema: ErrorBody },
      429: { description: '`RATE_LIMITED`: too many likes a minute, with Retry-After', schema: ErrorBody },
    },
  }),
  unlikeImage: defineRoute({
    operationId: 'unlikeImage',
    method: 'DELETE',
    path: '/api/images/{imageId}/like',
    function: 'api-images',
    auth: 'user',
    writeRate: 'likes',
    summary: 'Take back my like of an image; an image I do not like answers the same',
    tags: ['gallery'],
    request: { params: ImageIdParams },
    responses: {
      200: { description: 'The like (false) and the image’s count', schema: LikeState },
      404: { description: 'Missing, or someone else’s private image', schema: ErrorBody },
      429: { description: '`RATE_LIMITED`: too many likes a minute, with Retry-After', schema: ErrorBody },
    },
  }),
  listMyLikes: defineRoute({
    operationId: 'listMyLikes',
    method: 'GET',
    path: '/api/me/likes',
    function: 'api-images',
    auth: 'user',
    summary: 'The images I like, newest like first',
    tags: ['gallery'],
    request: { query: PageQuery },
    responses: { 200: { description: 'A page of images', schema: ImagePage } },
  }),
  downloadImage: defineRoute({
    operationId: 'downloadImage',
    method: 'GET',
    path: '/api/images/{imageId}/download',
    function: 'api-images',
    auth: 'optional',
    summary: 'Download the original of my image or of a shared one, under its title (or prompt) as file name',
    tags: ['images'],
    request: { params: ImageIdParams },
    responses: {
      302: {
        description: 'Sent on to the file',
        headers: {
          Location:
            'A short-lived URL that answers the original with `Content-Disposition: attachment; filename="…"` (and `filename*` when the name is not ASCII)',
        },
      },
      404: { description: 'Missing, or someone else’s private image', schema: ErrorBody },
      409: { description: 'The image is not READY', schema: ErrorBody },
    },
  }),
  getImage: defineRoute({
    operationId: 'getImage',
    method: 'GET',
    path: '/api/images/{imageId}',
    function: 'api-images',
    auth: 'optional',
    summary: 'An image: mine, or anyone’s shared one, with its first page of comments',
    tags: ['images'],
    request: { params: ImageIdParams },
    responses: {
      200: { description: 'The image', schema: ImageDetail },
      404: { description: 'Missing, or someone else’s private image', schema: ErrorBody },
    },
    cache: sharedCaches.live,
  }),
  deleteImage: defineRoute({
    operationId: 'deleteImage',
    method: 'DELETE',
    path: '/api/images/{imageId}',
    function: 'api-images',
    auth: 'user',
    summary: 'Delete one of my images, its files and its comments',
    tags: ['images'],
    request: { params: ImageIdParams },
    responses: {
      204: { description: 'Deleted' },
      404: { description: 'No such image of mine', schema: ErrorBody },
    },
  }),
  describeImage: defineRoute({
    operationId: 'describeImage',
    method: 'POST',
    path: '/api/images/{imageId}/describe',
    function: 'api-images',
    auth: 'user',
    summary: 'Describe one of my images (again) with the vision model; the work is queued',
    tags: ['images'],
    request: { params: ImageIdParams },
    writeRate: 'describes',
    responses: {
      202: {
        description: 'Queued, or the description already under way',
        schema: DescriptionUnderWay,
        links: { job: toJob },
      },
      404: { description: 'No such image of mine', schema: ErrorBody },
      409: { description: 'The image is not READY', schema: ErrorBody },
      429: { description: 'Past the day’s descriptions, or too many describes a minute', schema: ErrorBody },
    },
  }),
} satisfies Record<string, RouteDefinition>;
