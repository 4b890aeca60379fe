import * as z from 'zod';
import { FileField, Id, Prompt, singleLine } from './fields.ts';

const size = singleLine(20).optional().meta({
  description: 'One of the sizes of GET /api/config, or `auto` (the default): the source’s own',
  fromConfig: 'sizesOrAuto',
});
const count = { min: 1, max: 10, description: 'Images to make; at most maxImagesPerRequest' };

/** Both forms of the request become one shape: a source, maybe a mask, and what to do. */
export const CreateEditRequest = z
  .strictObject({
    imageId: Id.optional().meta({ description: 'One of my images; or give uploadId' }),
    uploadId: Id.optional().meta({ description: 'One of my uploads with purpose `edit`' }),
    maskUploadId: Id.optional().meta({
      description: 'One of my uploads with purpose `mask`: transparent where the image should change',
    }),
    prompt: Prompt,
    size,
    n: z
      .number()
      .int()
      .min(count.min)
      .max(count.max)
      .optional()
      .meta({ description: count.description, fromConfig: 'maxImagesPerRequest' }),
  })
  .refine((body) => (body.imageId === undefined) !== (body.uploadId === undefined), {
    message: 'give either imageId or uploadId',
    path: ['imageId'],
  })
  .transform(({ imageId, uploadId, maskUploadId, ...rest }) => ({
    source: imageId ? { imageId } : { uploadId: uploadId! },
    ...(maskUploadId ? { mask: { uploadId: maskUploadId } } : {}),
    ...rest,
  }))
  .meta({
    id: 'CreateEditRequest',
    description: 'The source is exactly one of `imageId` or `uploadId`.',
    oneOf: [{ required: ['imageId'] }, { required: ['uploadId'] }],
  });

export const CreateEditForm = z
  .object({
    image: FileField,
    mask: FileField.optional().meta({ description: 'PNG with alpha, of the image’s size' }),
    prompt: Prompt,
    size,
    n: z.coerce
      .number()
      .int()
      .min(count.min)
      .max(count.max)
      .optional()
      .meta({ description: count.description, fromConfig: 'maxImagesPerRequest' }),
  })
  .transform(({ image, mask, ...rest }) => ({
    source: { bytes: image },
    ...(mask ? { mask: { bytes: mask } } : {}),
    ...rest,
  }))
  .meta({ id: 'CreateEditForm' });
