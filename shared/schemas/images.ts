import { z } from 'zod';
import {
  Base64Image,
  FileField,
  FormBoolean,
  Id,
  multiLine,
  shownText,
  singleLine,
  Timestamp,
} from './fields.ts';
import { JobError, PageQuery, page } from './generation.ts';

export const ImageIdParams = z.object({ imageId: Id });

export const Comment = z
  .object({
    commentId: z.string(),
    imageId: z.string(),
    authorId: z.string(),
    authorName: z.string(),
    text: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Comment' });

export const Image = z
  .object({
    imageId: z.string(),
    ownerId: z.string(),
    ownerName: z.string(),
    kind: z.enum(['generated', 'edited', 'uploaded', 'portrait']),
    status: z.enum(['PENDING', 'READY', 'FAILED']),
    prompt: z.string().optional(),
    style: z.string().optional(),
    model: z.string().optional(),
    size: z.string().optional(),
    description: z.string().optional(),
    descriptionStatus: z.enum(['NONE', 'PENDING', 'READY', 'FAILED']),
    descriptionError: JobError.optional().meta({ description: 'Why the last description failed' }),
    title: z.string().optional(),
    isPublic: z.boolean(),
    parentImageId: z.string().optional(),
    characterId: z.string().optional(),
    width: z.number().int(),
    height: z.number().int(),
    contentType: z.string(),
    urls: z.object({
      original: z.string(),
      thumbnail: z.string(),
      display: z.string().optional().meta({
        description:
          'A lighter WebP copy at full size, for showing on a page (not on images stored before it)',
      }),
    }),
    commentCount: z.number().int(),
    error: JobError.optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Image' });

export const ImageDetail = Image.extend({
  comments: z.object({ items: z.array(Comment), nextCursor: z.string().nullable() }),
}).meta({ id: 'ImageDetail' });

const Title = shownText(singleLine(200));

/** Both forms of the request become one shape: the bytes, a title, whether to describe them. */
export const AddImageRequest = z
  .strictObject({
    imageBase64: Base64Image,
    filename: singleLine(255)
      .optional()
      .meta({ description: 'Accepted for older clients; the bytes decide' }),
    title: Title.optional(),
    describe: z.boolean().default(true),
  })
  .transform(({ imageBase64, filename: _filename, ...rest }) => ({ image: imageBase64, ...rest }))
  .meta({ id: 'AddImageRequest' });

export const AddImageForm = z
  .object({ image: FileField, title: Title.optional(), describe: FormBoolean.default(true) })
  .meta({ id: 'AddImageForm' });

export const ImagePage = page(Image, 'ImagePage');

export const ListImagesQuery = PageQuery.extend({
  kind: z.enum(['generated', 'edited', 'uploaded', 'portrait']).optional(),
});

export const GalleryQuery = PageQuery.extend({
  q: singleLine(200)
    .optional()
    .meta({ description: 'Words that must all appear in the prompt, title or description' }),
});

export const PatchImageRequest = z
  .strictObject({
    title: Title.trim().nullable().optional().meta({ description: 'null removes the title' }),
    isPublic: z.boolean().optional(),
  })
  .meta({ id: 'PatchImageRequest' });

export const CommentText = z
  .strictObject({
    text: shownText(multiLine(2000)).refine((text) => text.trim().length > 0, 'must not be empty'),
  })
  .meta({ id: 'CommentText' });

export const CommentParams = z.object({ imageId: Id, commentId: Id });

export const CommentPage = page(Comment, 'CommentPage');
