import * as z from 'zod/mini';
import { singleLine, Timestamp } from './fields.ts';
import { meta } from './meta.ts';

export const CreateUploadRequest = meta(
  z.strictObject({
    contentType: meta(singleLine(100), {
      description: 'image/png, image/jpeg or image/webp',
      example: 'image/png',
    }),
    contentLength: meta(z.number().check(z.int(), z.positive()), {
      description: 'Bytes of the file; at most uploads.maxPresignedBytes of GET /api/config',
    }),
    purpose: meta(z.enum(['describe', 'edit', 'mask']), {
      description:
        '`describe`: becomes an image with a description; `edit` and `mask`: a source or mask for POST /api/edits',
    }),
  }),
  { id: 'CreateUploadRequest' },
);

export const UploadTicket = meta(
  z.object({
    uploadId: z.string(),
    imageId: meta(z.optional(z.string()), { description: 'For `describe`: the image the upload becomes' }),
    url: meta(z.string(), {
      description: 'POST a multipart form here: every field of `fields`, then `file`',
    }),
    fields: z.record(z.string(), z.string()),
    expiresAt: meta(Timestamp, { description: 'The form is refused after this' }),
    maxBytes: z.number().check(z.int()),
  }),
  { id: 'UploadTicket' },
);
