import { ForbiddenError, NotFoundError } from '../../errors.ts';
import type { ImageStore, ObjectStorage } from '../ports.ts';
import { type ImageRecord, type ImageUrls, publicKeysOf } from './image.ts';

/** Private images are reached through URLs that stop working after this long. */
export const signedUrlSeconds = 15 * 60;

const noSuchImage = () => new NotFoundError('No such image.');

/** An image the caller may see: their own, or a shared one. Anyone else's private image is "not found". */
export async function getVisibleImage(
  images: Pick<ImageStore, 'get'>,
  viewerId: string | undefined,
  imageId: string,
): Promise<ImageRecord> {
  const image = await images.get(imageId);
  if (!image || image.status === 'DELETING' || (!image.isPublic && image.ownerId !== viewerId)) {
    throw noSuchImage();
  }
  return image;
}

/**
 * An image the caller may act on as its owner (describe, edit, delete). Someone else's
 * shared image is 403: they can see it, but not change it; any other is "not found".
 */
export async function getOwnImage(
  images: ImageStore,
  callerId: string,
  imageId: string,
): Promise<ImageRecord> {
  const image = await getVisibleImage(images, callerId, imageId);
  if (image.ownerId !== callerId) throw new ForbiddenError('Only the owner of the image may do that.');
  return image;
}

export async function privateImageUrls(storage: ObjectStorage, image: ImageRecord): Promise<ImageUrls> {
  const [original, thumbnail, display] = await Promise.all([
    storage.signedGetUrl(image.originalKey, signedUrlSeconds),
    storage.signedGetUrl(image.thumbnailKey, signedUrlSeconds),
    image.displayKey ? storage.signedGetUrl(image.displayKey, signedUrlSeconds) : undefined,
  ]);
  return { original, thumbnail, ...(display ? { display } : {}) };
}

/** A shared image's copies through the CDN, which caches them for a year: they never change. */
export function publicImageUrls(cdnBaseUrl: string, image: ImageRecord): ImageUrls {
  const copies = publicKeysOf(image);
  const base = cdnBaseUrl.replace(/\/+$/, '');
  return {
    original: `${base}/${copies.original}`,
    thumbnail: `${base}/${copies.thumbnail}`,
    ...(copies.display ? { display: `${base}/${copies.display}` } : {}),
  };
}

/** Shared images through the CDN; the rest through signed URLs. */
export async function imageUrls(
  storage: ObjectStorage,
  cdnBaseUrl: string,
  image: ImageRecord,
): Promise<ImageUrls> {
  return image.isPublic ? publicImageUrls(cdnBaseUrl, image) : privateImageUrls(storage, image);
}
