import { ErrorBody } from '../../schemas/common.ts';
import { AddImageForm, AddImageRequest, Image } from '../../schemas/images.ts';
import { CreateUploadRequest, UploadTicket } from '../../schemas/uploads.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { toImage } from '../route-links.ts';

/**
 * The routes api-uploads serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  createUpload: defineRoute({
    operationId: 'createUpload',
    method: 'POST',
    path: '/api/uploads',
    function: 'api-uploads',
    auth: 'user',
    summary: 'A presigned POST for one image file, straight to storage (up to 20 MB)',
    tags: ['images'],
    request: { body: CreateUploadRequest },
    writeRate: 'uploads',
    responses: {
      201: { description: 'The form to post the file with', schema: UploadTicket },
      413: { description: '`PAYLOAD_TOO_LARGE`: contentLength over the limit', schema: ErrorBody },
      415: { description: '`UNSUPPORTED_MEDIA_TYPE`: not PNG, JPEG or WebP', schema: ErrorBody },
    },
  }),
  addImage: defineRoute({
    operationId: 'addImage',
    method: 'POST',
    path: '/api/images',
    function: 'api-uploads',
    auth: 'user',
    summary: 'Add a small image (up to 4 MB) as multipart or base64; it is described unless asked not to',
    tags: ['images'],
    request: { body: AddImageRequest, multipartBody: AddImageForm },
    writeRate: 'uploads',
    responses: {
      202: { description: 'Kept; the description is under way', schema: Image, links: { image: toImage } },
      400: { description: '`INVALID_IMAGE`: undecodable, or over the pixel limit', schema: ErrorBody },
      413: {
        description:
          '`PAYLOAD_TOO_LARGE`: a file over 4 MB (Lambda takes at most 6 MB of request, and base64 grows a file by a third); use POST /api/uploads',
        schema: ErrorBody,
      },
      415: {
        description: '`UNSUPPORTED_MEDIA_TYPE`: the bytes are not PNG, JPEG or WebP',
        schema: ErrorBody,
      },
    },
  }),
} satisfies Record<string, RouteDefinition>;
