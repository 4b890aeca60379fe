import type { ImageProcessor, ObjectStorage, PreparedImage } from '../ports.ts';
import { contentTypes, imageObjectKeys } from './image.ts';

export interface ImageObjectDeps {
  readonly storage: ObjectStorage;
  readonly processor: ImageProcessor;
}

/**
 * Stores an image's bytes, its webp thumbnail and its webp viewing copy under its keys, and answers what its
 * record says about them. Written before the record, so a record always has its objects.
 *
 * The original is sent while the two copies are encoded, each copy as soon as it is ready.
 * Every part is waited for, so nothing is still being written when this answers or throws;
 * a failure throws the first failure in that order (original, thumbnail, viewing copy).
 * Objects stored before a failure have no record yet; the retry writes them over.
 */
export async function storeImageObjects(deps: ImageObjectDeps, imageId: string, image: PreparedImage) {
  const keys = imageObjectKeys(imageId, image.format);
  const contentType = contentTypes[image.format];
  const outcomes = await Promise.allSettled([
    deps.storage.put(keys.originalKey, image.bytes, contentType),
    deps.processor
      .thumbnail(image.bytes)
      .then((thumbnail) => deps.storage.put(keys.thumbnailKey, thumbnail, 'image/webp')),
    deps.processor
      .display(image.bytes)
      .then((display) => deps.storage.put(keys.displayKey, display, 'image/webp')),
  ]);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return { ...keys, width: image.width, height: image.height, contentType };
}
