import { ErrorBody } from '../../schemas/common.ts';
import { CreateEditForm, CreateEditRequest } from '../../schemas/edits.ts';
import { AcceptedJob, IdempotencyHeaders } from '../../schemas/generation.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { toJob } from '../route-links.ts';

/**
 * The routes api-edits serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
  createEdit: defineRoute({
    operationId: 'createEdit',
    method: 'POST',
    path: '/api/edits',
    function: 'api-edits',
    auth: 'user',
    summary: 'Edit an image with a prompt and an optional mask; the result is a new image',
    tags: ['images'],
    request: { body: CreateEditRequest, multipartBody: CreateEditForm, headers: IdempotencyHeaders },
    responses: {
      202: { description: 'Queued', schema: AcceptedJob, links: { job: toJob } },
      400: {
        description: '`INVALID_IMAGE`: e.g. a mask without alpha or of another size',
        schema: ErrorBody,
      },
      404: { description: 'No such image or upload of mine', schema: ErrorBody },
      409: {
        description:
          '`IDEMPOTENCY_KEY_REUSED`; `UPLOAD_NOT_READY`: the upload (`uploadId`, `maskUploadId`) is not processed yet, try again in a moment; `CONFLICT`: the image is not READY',
        schema: ErrorBody,
      },
      413: { description: '`PAYLOAD_TOO_LARGE`: a file over 4 MB; use POST /api/uploads', schema: ErrorBody },
      415: { description: '`UNSUPPORTED_MEDIA_TYPE`: not PNG, JPEG or WebP', schema: ErrorBody },
      429: { description: '`QUOTA_EXCEEDED`, with Retry-After', schema: ErrorBody },
    },
  }),
} satisfies Record<string, RouteDefinition>;
