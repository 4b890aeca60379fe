import type { ImageProcessor, ObjectStorage, PreparedImage } from '../ports.ts';
import { contentTypes, imageObjectKeys } from './image.ts';

export interface ImageObjectDeps {
  readonly storage: ObjectStorage;
  readonly processor: ImageProcessor;
}

/**
 * Stores an image's bytes, its webp thumbnail and its webp viewing copy under its keys, and answers what its
 * record says about them. Written before the record, so a record always has its objects.
 */
export async function storeImageObjects(deps: ImageObjectDeps, imageId: string, image: PreparedImage) {
  const keys = imageObjectKeys(imageId, image.format);
  const contentType = contentTypes[image.format];
  await deps.storage.put(keys.originalKey, image.bytes, contentType);
  await deps.storage.put(keys.thumbnailKey, await deps.processor.thumbnail(image.bytes), 'image/webp');
  await deps.storage.put(keys.displayKey, await deps.processor.display(image.bytes), 'image/webp');
  return { ...keys, width: image.width, height: image.height, contentType };
}
