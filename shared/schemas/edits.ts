import * as z from 'zod/mini';
import { FileField, Id, Prompt, singleLine } from './fields.ts';
import { meta } from './meta.ts';

const size = meta(z.optional(singleLine(20)), {
  description: 'One of the sizes of GET /api/config, or `auto` (the default): the source’s own',
  fromConfig: 'sizesOrAuto',
});
const count = { min: 1, max: 10, description: 'Images to make; at most maxImagesPerRequest' };

/** Both forms of the request become one shape: a source, maybe a mask, and what to do. */
export const CreateEditRequest = meta(
  z.pipe(
    z
      .strictObject({
        imageId: meta(z.optional(Id), { description: 'One of my images; or give uploadId' }),
        uploadId: meta(z.optional(Id), { description: 'One of my uploads with purpose `edit`' }),
        maskUploadId: meta(z.optional(Id), {
          description: 'One of my uploads with purpose `mask`: transparent where the image should change',
        }),
        prompt: Prompt,
        size,
        n: meta(z.optional(z.number().check(z.int(), z.minimum(count.min), z.maximum(count.max))), {
          description: count.description,
          fromConfig: 'maxImagesPerRequest',
        }),
      })
      .check(
        z.refine((body) => (body.imageId === undefined) !== (body.uploadId === undefined), {
          message: 'give either imageId or uploadId',
          path: ['imageId'],
        }),
      ),
    z.transform(({ imageId, uploadId, maskUploadId, ...rest }) => ({
      source: imageId ? { imageId } : { uploadId: uploadId! },
      ...(maskUploadId ? { mask: { uploadId: maskUploadId } } : {}),
      ...rest,
    })),
  ),
  {
    id: 'CreateEditRequest',
    description: 'The source is exactly one of `imageId` or `uploadId`.',
    oneOf: [{ required: ['imageId'] }, { required: ['uploadId'] }],
  },
);

export const CreateEditForm = meta(
  z.pipe(
    z.object({
      image: FileField,
      mask: meta(z.optional(FileField), { description: 'PNG with alpha, of the image’s size' }),
      prompt: Prompt,
      size,
      n: meta(z.optional(z.coerce.number().check(z.int(), z.minimum(count.min), z.maximum(count.max))), {
        description: count.description,
        fromConfig: 'maxImagesPerRequest',
      }),
    }),
    z.transform(({ image, mask, ...rest }) => ({
      source: { bytes: image },
      ...(mask ? { mask: { bytes: mask } } : {}),
      ...rest,
    })),
  ),
  { id: 'CreateEditForm' },
);
