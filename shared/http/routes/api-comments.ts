import { ErrorBody } from '../../schemas/common.ts';
import { PageQuery } from '../../schemas/generation.ts';
import { Comment, CommentPage, CommentParams, CommentText, ImageIdParams } from '../../schemas/images.ts';
import { sharedCaches } from '../cache-control.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { toComment } from '../route-links.ts';

/**
 * The routes api-comments serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  listComments: defineRoute({
    operationId: 'listComments',
    method: 'GET',
    path: '/api/images/{imageId}/comments',
    function: 'api-comments',
    auth: 'optional',
    summary: 'Comments on an image I can see, newest first',
    tags: ['comments'],
    request: { params: ImageIdParams, query: PageQuery },
    responses: { 200: { description: 'A page of comments', schema: CommentPage } },
    cache: sharedCaches.live,
  }),
  addComment: defineRoute({
    operationId: 'addComment',
    method: 'POST',
    path: '/api/images/{imageId}/comments',
    function: 'api-comments',
    auth: 'user',
    summary: 'Comment on an image I can see',
    tags: ['comments'],
    request: { params: ImageIdParams, body: CommentText },
    writeRate: 'comments',
    responses: {
      201: {
        description: 'The comment',
        schema: Comment,
        links: {
          comments: { operationId: 'listComments', parameters: { imageId: '$response.body#/imageId' } },
          change: toComment('editComment'),
          delete: toComment('deleteComment'),
        },
      },
    },
  }),
  editComment: defineRoute({
    operationId: 'editComment',
    method: 'PATCH',
    path: '/api/images/{imageId}/comments/{commentId}',
    function: 'api-comments',
    auth: 'user',
    summary: 'Change my comment',
    tags: ['comments'],
    request: { params: CommentParams, body: CommentText },
    writeRate: 'comments',
    responses: {
      200: { description: 'The comment', schema: Comment },
      403: { description: 'Not the author', schema: ErrorBody },
    },
  }),
  deleteComment: defineRoute({
    operationId: 'deleteComment',
    method: 'DELETE',
    path: '/api/images/{imageId}/comments/{commentId}',
    function: 'api-comments',
    auth: 'user',
    summary: 'Remove a comment: my own, or any on my image',
    tags: ['comments'],
    request: { params: CommentParams },
    responses: {
      204: { description: 'Removed' },
      403: { description: 'Neither author nor owner', schema: ErrorBody },
    },
  }),
} satisfies Record<string, RouteDefinition>;
