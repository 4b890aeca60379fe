import * as z from 'zod/mini';
import { Id, Timestamp } from './fields.ts';
import { meta } from './meta.ts';

export const UserIdParams = z.object({ userId: Id });

export const PublicProfile = meta(
  z.object({
    userId: z.string(),
    displayName: z.string(),
    bio: meta(z.string(), { description: 'Empty when the user wrote none' }),
    publicImageCount: z.number().check(z.int(), z.minimum(0)),
    joinedAt: Timestamp,
  }),
  { id: 'PublicProfile' },
);

/** A link preview's path: any text, so that a malformed id is a page that says "not found", not JSON. */
export const PreviewParams = z.object({ imageId: z.string() });
