import * as z from 'zod';
import { styleIds } from '../domain/catalogue/styles.ts';
import {
  Base64Image,
  FileField,
  FormBoolean,
  Id,
  nonBlank,
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
    quality: z.string().optional().meta({ description: 'The quality a generated image was asked for' }),
    negativePrompt: z
      .string()
      .optional()
      .meta({ description: 'What a generated image was asked to leave out' }),
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
    likeCount: z.number().int().meta({ description: 'How many people like the image' }),
    likedByMe: z.boolean().optional().meta({
      description: 'Whether the caller likes the image; only when the request carries a valid token',
    }),
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
  q: singleLine(200).optional().meta({
    description:
      'Words that must all appear in the prompt, title or description; a word of 3 letters or more also matches the words it begins',
  }),
  sort: z.enum(['newest', 'popular']).default('newest').meta({
    description: '`popular`: most liked first among the images shared within `period`, ties newest first',
  }),
  period: z
    .enum(['day', 'week', 'all'])
    .default('week')
    .meta({ description: 'With `sort=popular`: shared in the last 24 hours, the last 7 days, or ever' }),
  style: z
    .string()
    .refine((id) => styleIds.includes(id), {
      error: (issue) => `unknown style "${issue.input}"; see GET /api/styles`,
    })
    .optional()
    .meta({ description: 'Only images of this style id (GET /api/styles)' }),
}).refine((query) => !(query.sort === 'popular' && query.q), {
  error: 'q cannot be combined with sort=popular: search answers newest first',
  path: ['sort'],
});

export const LikeState = z
  .object({ imageId: z.string(), liked: z.boolean(), likeCount: z.number().int() })
  .meta({ id: 'LikeState' });

export const PatchImageRequest = z
  .strictObject({
    title: Title.trim().nullable().optional().meta({ description: 'null removes the title' }),
    isPublic: z.boolean().optional(),
  })
  .meta({ id: 'PatchImageRequest' });

export const CommentText = z
  .strictObject({
    text: shownText(nonBlank(2000)).meta({ example: 'Lovely light on the water.' }),
  })
  .meta({ id: 'CommentText' });

export const CommentParams = z.object({ imageId: Id, commentId: Id });

export const CommentPage = page(Comment, 'CommentPage');
