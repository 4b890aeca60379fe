import { ConflictError } from '../../errors.ts';
import type { Clock } from '../accounts/ports.ts';
import type { ImageStore, ObjectStorage, Page, PageKey } from '../generation/ports.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { imageSearchWords, searchWords } from '../search/words.ts';
import { type ImageKind, type ImageRecord, publicKeysOf } from './image.ts';
import { getOwnImage } from './image-queries.ts';

/** Listings of images and the writes that move an image in and out of the public gallery. */
export interface ImageCatalog {
  /** The owner's images, newest first, optionally of one kind. */
  listByOwner(
    ownerId: string,
    options: { kind?: ImageKind; limit: number; startKey?: PageKey },
  ): Promise<Page<ImageRecord>>;
  /** Public, READY images, newest first. */
  listGallery(options: { limit: number; startKey?: PageKey }): Promise<Page<ImageRecord>>;
  /** The images with these ids that exist, in the order of `imageIds`. */
  getMany(imageIds: readonly string[]): Promise<ImageRecord[]>;
  /**
   * Writes title, sharing and the indexed words together; a public READY image is placed
   * in the gallery listing, any other taken out. Throws `ConflictError` if the image
   * changed status meanwhile.
   */
  update(
    image: ImageRecord,
    changes: { title?: string | null; isPublic: boolean; indexedWords: readonly string[] },
    now: string,
  ): Promise<ImageRecord>;
}

export interface SharingDeps {
  readonly images: ImageStore;
  readonly catalog: ImageCatalog;
  readonly storage: ObjectStorage;
  readonly index: SearchIndex;
  readonly clock: Clock;
}

/**
 * Changes an image's title and sharing. Sharing copies the image under `img/` (the only
 * prefix the CDN serves) and indexes its words before the record says it is public, so
 * the gallery never lists an image it cannot show; unsharing takes the record out first,
 * so the image leaves the gallery and its search at once, then removes the index entries
 * and the public copies. Each step can be repeated, so a retry finishes an interrupted change.
 */
export async function changeImage(
  deps: SharingDeps,
  ownerId: string,
  imageId: string,
  changes: { title?: string | null; isPublic?: boolean },
) {
  const image = await getOwnImage(deps.images, ownerId, imageId);
  const isPublic = changes.isPublic ?? image.isPublic;
  if (isPublic && image.status !== 'READY') throw new ConflictError('Only a READY image can be shared.');
  const title = changes.title === undefined ? image.title : (changes.title ?? undefined);
  const before = image.indexedWords ?? [];
  const after = isPublic ? imageSearchWords({ ...image, title }) : [];
  const copies = publicKeysOf(image);

  if (isPublic && !image.isPublic) {
    await deps.storage.copy(image.originalKey, copies.original);
    await deps.storage.copy(image.thumbnailKey, copies.thumbnail);
  }
  if (isPublic) await deps.index.set(imageId, after, before);
  const updated = await deps.catalog.update(
    image,
    { ...(changes.title !== undefined ? { title: changes.title } : {}), isPublic, indexedWords: after },
    deps.clock.now().toISOString(),
  );
  if (!isPublic && before.length) await deps.index.set(imageId, [], before);
  // A description that landed while this ran found the image still private and indexed
  // nothing: read it again now that it is public.
  if (isPublic) return (await reindexImage(deps, imageId)) ?? updated;
  if (!isPublic && image.isPublic) await deps.storage.delete([copies.original, copies.thumbnail]);
  return updated;
}

/**
 * Brings a shared image's search entries in line with its words after they changed
 * outside `changeImage` (a new description). A private image has none to change.
 */
export async function reindexImage(
  deps: Omit<SharingDeps, 'storage'>,
  imageId: string,
): Promise<ImageRecord | undefined> {
  const image = await deps.images.get(imageId);
  if (!image?.isPublic || image.status !== 'READY') return undefined;
  const before = image.indexedWords ?? [];
  const after = imageSearchWords(image);
  if (after.length === before.length && after.every((word, i) => word === before[i])) return undefined;
  await deps.index.set(imageId, after, before);
  return deps.catalog.update(image, { isPublic: true, indexedWords: after }, deps.clock.now().toISOString());
}

/**
 * The public gallery, newest first; with `q`, only the images whose prompt, title and
 * description hold every word of it (case and accents aside). The index may lag a
 * change by a moment, so each image it names is checked to be public and READY still.
 */
export async function browseGallery(
  deps: Pick<SharingDeps, 'catalog' | 'index'>,
  options: { q?: string; limit: number; startKey?: PageKey },
): Promise<Page<ImageRecord>> {
  const words = options.q ? searchWords(options.q) : [];
  if (!words.length) return deps.catalog.listGallery(options);
  const found = await deps.index.search(words, options);
  const images = await deps.catalog.getMany(found.items);
  return {
    items: images.filter((image) => image.isPublic && image.status === 'READY'),
    ...(found.lastKey ? { lastKey: found.lastKey } : {}),
  };
}
