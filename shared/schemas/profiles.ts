import * as z from 'zod';
import { Id, Timestamp } from './fields.ts';

export const UserIdParams = z.object({ userId: Id });

export const PublicProfile = z
  .object({
    userId: z.string(),
    displayName: z.string(),
    bio: z.string().meta({ description: 'Empty when the user wrote none' }),
    publicImageCount: z.number().int().min(0),
    joinedAt: Timestamp,
  })
  .meta({ id: 'PublicProfile' });

/** A link preview's path: any text, so that a malformed id is a page that says "not found", not JSON. */
export const PreviewParams = z.object({ imageId: z.string() });
