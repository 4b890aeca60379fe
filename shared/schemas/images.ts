import * as z from 'zod/mini';
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
import { meta } from './meta.ts';

export const ImageIdParams = z.object({ imageId: Id });

export const Comment = meta(
  z.object({
    commentId: z.string(),
    imageId: z.string(),
    authorId: z.string(),
    authorName: z.string(),
    text: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  { id: 'Comment' },
);

export const Image = meta(
  z.object({
    imageId: z.string(),
    ownerId: z.string(),
    ownerName: z.string(),
    kind: z.enum(['generated', 'edited', 'uploaded', 'portrait']),
    status: z.enum(['PENDING', 'READY', 'FAILED']),
    prompt: z.optional(z.string()),
    style: z.optional(z.string()),
    model: z.optional(z.string()),
    size: z.optional(z.string()),
    quality: meta(z.optional(z.string()), { description: 'The quality a generated image was asked for' }),
    negativePrompt: meta(z.optional(z.string()), {
      description: 'What a generated image was asked to leave out',
    }),
    description: z.optional(z.string()),
    descriptionStatus: z.enum(['NONE', 'PENDING', 'READY', 'FAILED']),
    descriptionError: meta(z.optional(JobError), { description: 'Why the last description failed' }),
    title: z.optional(z.string()),
    isPublic: z.boolean(),
    parentImageId: z.optional(z.string()),
    characterId: z.optional(z.string()),
    width: z.number().check(z.int()),
    height: z.number().check(z.int()),
    contentType: z.string(),
    urls: z.object({
      original: z.string(),
      thumbnail: z.string(),
      display: meta(z.optional(z.string()), {
        description:
          'A lighter WebP copy at full size, for showing on a page (not on images stored before it)',
      }),
    }),
    commentCount: z.number().check(z.int()),
    likeCount: meta(z.number().check(z.int()), { description: 'How many people like the image' }),
    likedByMe: meta(z.optional(z.boolean()), {
      description: 'Whether the caller likes the image; only when the request carries a valid token',
    }),
    error: z.optional(JobError),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  { id: 'Image' },
);

export const ImageDetail = meta(
  z.extend(Image, {
    comments: z.object({ items: z.array(Comment), nextCursor: z.nullable(z.string()) }),
  }),
  { id: 'ImageDetail' },
);

const Title = shownText(singleLine(200));

/** Both forms of the request become one shape: the bytes, a title, whether to describe them. */
export const AddImageRequest = meta(
  z.pipe(
    z.strictObject({
      imageBase64: Base64Image,
      filename: meta(z.optional(singleLine(255)), {
        description: 'Accepted for older clients; the bytes decide',
      }),
      title: z.optional(Title),
      describe: z._default(z.boolean(), true),
    }),
    z.transform(({ imageBase64, filename: _filename, ...rest }) => ({ image: imageBase64, ...rest })),
  ),
  { id: 'AddImageRequest' },
);

export const AddImageForm = meta(
  z.object({ image: FileField, title: z.optional(Title), describe: z._default(FormBoolean, true) }),
  { id: 'AddImageForm' },
);

export const ImagePage = page(Image, 'ImagePage');

export const ListImagesQuery = z.extend(PageQuery, {
  kind: z.optional(z.enum(['generated', 'edited', 'uploaded', 'portrait'])),
});

export const GalleryQuery = z
  .extend(PageQuery, {
    q: meta(z.optional(singleLine(200)), {
      description:
        'Words that must all appear in the prompt, title or description; a word of 3 letters or more also matches the words it begins',
    }),
    sort: meta(z._default(z.enum(['newest', 'popular']), 'newest'), {
      description: '`popular`: most liked first among the images shared within `period`, ties newest first',
    }),
    period: meta(z._default(z.enum(['day', 'week', 'all']), 'week'), {
      description: 'With `sort=popular`: shared in the last 24 hours, the last 7 days, or ever',
    }),
    style: meta(
      z.optional(
        z.string().check(
          z.refine((id) => styleIds.includes(id), {
            error: (issue) => `unknown style "${issue.input}"; see GET /api/styles`,
          }),
        ),
      ),
      { description: 'Only images of this style id (GET /api/styles)' },
    ),
  })
  .check(
    z.refine((query) => !(query.sort === 'popular' && query.q), {
      error: 'q cannot be combined with sort=popular: search answers newest first',
      path: ['sort'],
    }),
  );

export const LikeState = meta(
  z.object({ imageId: z.string(), liked: z.boolean(), likeCount: z.number().check(z.int()) }),
  { id: 'LikeState' },
);

export const PatchImageRequest = meta(
  z.strictObject({
    title: meta(z.optional(z.nullable(Title.check(z.trim()))), { description: 'null removes the title' }),
    isPublic: z.optional(z.boolean()),
  }),
  { id: 'PatchImageRequest' },
);

export const CommentText = meta(
  z.strictObject({
    text: meta(shownText(nonBlank(2000)), { example: 'Lovely light on the water.' }),
  }),
  { id: 'CommentText' },
);

export const CommentParams = z.object({ imageId: Id, commentId: Id });

export const CommentPage = page(Comment, 'CommentPage');
