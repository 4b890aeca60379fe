import { NotFoundError } from '../../errors.ts';
import type { ImageStore, ObjectStorage } from '../generation/ports.ts';
import type { ImageRecord, ImageUrls } from './image.ts';

/** Private images are reached through URLs that stop working after this long. */
export const signedUrlSeconds = 15 * 60;

/** An image the caller may see: their own, or a shared one. Anyone else's private image is "not found". */
export async function getVisibleImage(
  images: ImageStore,
  viewerId: string | undefined,
  imageId: string,
): Promise<ImageRecord> {
  const image = await images.get(imageId);
  if (!image || (!image.isPublic && image.ownerId !== viewerId)) throw new NotFoundError('No such image.');
  return image;
}

export async function privateImageUrls(storage: ObjectStorage, image: ImageRecord): Promise<ImageUrls> {
  const [original, thumbnail] = await Promise.all([
    storage.signedGetUrl(image.originalKey, signedUrlSeconds),
    storage.signedGetUrl(image.thumbnailKey, signedUrlSeconds),
  ]);
  return { original, thumbnail };
}
