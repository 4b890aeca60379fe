import * as z from 'zod';
import { singleLine, Timestamp } from './fields.ts';

export const CreateUploadRequest = z
  .strictObject({
    contentType: singleLine(100).meta({
      description: 'image/png, image/jpeg or image/webp',
      example: 'image/png',
    }),
    contentLength: z
      .number()
      .int()
      .positive()
      .meta({ description: 'Bytes of the file; at most uploads.maxPresignedBytes of GET /api/config' }),
    purpose: z.enum(['describe', 'edit', 'mask']).meta({
      description:
        '`describe`: becomes an image with a description; `edit` and `mask`: a source or mask for POST /api/edits',
    }),
  })
  .meta({ id: 'CreateUploadRequest' });

export const UploadTicket = z
  .object({
    uploadId: z.string(),
    imageId: z.string().optional().meta({ description: 'For `describe`: the image the upload becomes' }),
    url: z.string().meta({ description: 'POST a multipart form here: every field of `fields`, then `file`' }),
    fields: z.record(z.string(), z.string()),
    expiresAt: Timestamp.meta({ description: 'The form is refused after this' }),
    maxBytes: z.number().int(),
  })
  .meta({ id: 'UploadTicket' });
