import { ForbiddenError, NotFoundError } from '../../errors.ts';
import type { Clock, ImageStore, ObjectStorage, PublicCache } from '../ports.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { hadPublicCopies, type ImageRecord, objectKeysOf, publicPathsOf } from './image.ts';

export interface DeleteImageDeps {
  readonly images: ImageStore;
  readonly storage: ObjectStorage;
  readonly index: SearchIndex;
  /** A shared image's public copies are dropped from the CDN once their objects are gone. */
  readonly cache: PublicCache;
  readonly clock: Clock;
}

/**
 * Removes an image for good: every object it owns (original, thumbnail, an edit's source
 * and mask, its public copies), its search entries, and every item of it (the image and
 * its comments). The order lets a retry finish what a failure interrupted: the image is
 * first marked DELETING, which takes it out of every listing and makes it answer 404;
 * then its search entries and objects go (the CDN told to forget its public copies); then its items, the image's own last. A DELETE that finds the image DELETING finishes the work.
 */
export async function deleteImage(deps: DeleteImageDeps, callerId: string, imageId: string): Promise<void> {
  const image = await deps.images.get(imageId);
  if (!image || image.ownerId !== callerId) {
    if (image?.isPublic && image.status !== 'DELETING') {
      throw new ForbiddenError('Only the owner of the image may delete it.');
    }
    throw new NotFoundError('No such image.');
  }
  await removeImageWholly(deps, image);
}

/**
 * Removes an image the system itself retires (a replaced or orphaned portrait, an
 * operator's deletion), whoever owns it; an image already gone is not an error.
 */
export async function removeImage(deps: DeleteImageDeps, imageId: string): Promise<void> {
  const image = await deps.images.get(imageId);
  if (image) await removeImageWholly(deps, image);
}

async function removeImageWholly(deps: DeleteImageDeps, image: ImageRecord) {
  const { imageId } = image;
  if (image.status !== 'DELETING') await deps.images.markDeleting(imageId, deps.clock.now().toISOString());
  if (image.indexedWords?.length) await deps.index.set(imageId, [], image.indexedWords);
  await deps.storage.delete(objectKeysOf(image));
  if (hadPublicCopies(image)) await deps.cache.invalidate(publicPathsOf(image));
  await deps.images.deleteAll(imageId);
}
