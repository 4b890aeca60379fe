import { NotFoundError } from '../../errors.ts';
import type { ImageRecord } from '../images/image.ts';
import type { ImageCatalog } from '../images/sharing.ts';
import type { Page, PageKey } from '../ports.ts';

/** What anyone may know of a user. */
export interface PublicProfile {
  readonly userId: string;
  readonly displayName: string;
  readonly bio: string;
  readonly publicImageCount: number;
  readonly joinedAt: string;
}

export interface PublicProfileStore {
  get(userId: string): Promise<PublicProfile | undefined>;
  /** The ids of the user's public images, newest first: one Query of their partition. */
  listPublicImageIds(userId: string, options: { limit: number; startKey?: PageKey }): Promise<Page<string>>;
}

export interface ProfileDeps {
  readonly profiles: PublicProfileStore;
  readonly catalog: Pick<ImageCatalog, 'getMany'>;
}

export async function getPublicProfile(deps: Pick<ProfileDeps, 'profiles'>, userId: string) {
  const profile = await deps.profiles.get(userId);
  if (!profile) throw new NotFoundError('No such user.');
  return profile;
}

/**
 * A user's public images, newest first: a page of their public-image items, then the
 * images themselves in one batch, so a page costs the same however many they have. An
 * image unshared or deleted a moment ago may still be named; it is checked and left out.
 */
export async function listUserImages(
  deps: ProfileDeps,
  userId: string,
  options: { limit: number; startKey?: PageKey },
): Promise<Page<ImageRecord>> {
  const ids = await deps.profiles.listPublicImageIds(userId, options);
  const images = ids.items.length ? await deps.catalog.getMany(ids.items) : [];
  return {
    items: images.filter((image) => image.isPublic && image.status === 'READY' && image.ownerId === userId),
    ...(ids.lastKey ? { lastKey: ids.lastKey } : {}),
  };
}
