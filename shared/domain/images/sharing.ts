import { ConflictError } from '../../errors.ts';
import {
  type PopularCursor,
  type PopularPeriod,
  popularPage,
  popularSources,
  type RankedReader,
} from '../gallery/popularity.ts';
import type { Clock, IdGenerator, ImageStore, ObjectStorage, Page, PageKey, PublicCache } from '../ports.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { imageSearchWords, searchWords, styleWord } from '../search/words.ts';
import {
  hadPublicCopies,
  type ImageKind,
  type ImageRecord,
  publicCopyKeys,
  publicKeysOf,
  publicPathsOf,
} from './image.ts';
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
  /** One bucket of the popularity ranking, best first (see `popularPage`). */
  readRanked: RankedReader;
  /**
   * Ranks a shared image that has no popularity entries (shared before they existed) as
   * shared at `sharedAt`; answers false when it is not such an image (any more).
   */
  rankShared(image: ImageRecord, sharedAt: string): Promise<boolean>;
  /** The images with these ids that exist, in the order of `imageIds`. */
  getMany(imageIds: readonly string[]): Promise<ImageRecord[]>;
  /**
   * Writes title, sharing and the indexed words together; a public READY image is placed
   * in the gallery listing, any other taken out. `publicToken` is set by a string, removed
   * by null, kept when absent. Throws `ConflictError` if the image changed status meanwhile.
   */
  update(
    image: ImageRecord,
    changes: {
      title?: string | null;
      isPublic: boolean;
      indexedWords: readonly string[];
      publicToken?: string | null;
    },
    now: string,
  ): Promise<ImageRecord>;
}

export interface SharingDeps {
  readonly images: ImageStore;
  readonly catalog: ImageCatalog;
  readonly storage: ObjectStorage;
  readonly index: SearchIndex;
  readonly cache: PublicCache;
  readonly clock: Clock;
  /** The public token of a new share. */
  readonly newToken: IdGenerator;
}

/**
 * Changes an image's title and sharing. Sharing copies the image under a new public token
 * in `img/` (the only prefix the CDN serves) and indexes its words before the record says
 * it is public, so the gallery never lists an image it cannot show. Unsharing removes the
 * public copies and has the CDN forget them first, so the old address answers 404 at once,
 * then takes the record out of the gallery and forgets the token, then the index entries.
 * Each step can be repeated, so a retry finishes an interrupted change.
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
  const sharing = isPublic && !image.isPublic;
  const publicToken = sharing ? deps.newToken() : undefined;

  if (sharing) {
    const copies = publicKeysOf({ ...image, publicToken });
    await deps.storage.copy(image.originalKey, copies.original);
    await deps.storage.copy(image.thumbnailKey, copies.thumbnail);
    if (image.displayKey && copies.display) await deps.storage.copy(image.displayKey, copies.display);
  }
  if (!isPublic && hadPublicCopies(image)) await removePublicCopies(deps, image);
  if (isPublic) await deps.index.set(imageId, after, before);
  const updated = await deps.catalog.update(
    image,
    {
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      isPublic,
      indexedWords: after,
      ...(sharing ? { publicToken } : {}),
      ...(!isPublic && image.publicToken ? { publicToken: null } : {}),
    },
    deps.clock.now().toISOString(),
  );
  if (!isPublic && before.length) await deps.index.set(imageId, [], before);
  // A description that landed while this ran found the image still private and indexed
  // nothing: read it again now that it is public.
  if (isPublic) return (await reindexImage(deps, imageId)) ?? updated;
  return updated;
}

/** The public copies go, then the CDN forgets them: an edge fetching again finds nothing. */
export async function removePublicCopies(
  deps: Pick<SharingDeps, 'storage' | 'cache'>,
  image: Pick<ImageRecord, 'originalKey' | 'thumbnailKey' | 'displayKey' | 'publicToken'>,
) {
  await deps.storage.delete(publicCopyKeys(image));
  await deps.cache.invalidate(publicPathsOf(image));
}

/**
 * Brings a shared image's search entries in line with its words after they changed
 * outside `changeImage` (a new description). A private image has none to change.
 */
export async function reindexImage(
  deps: Pick<SharingDeps, 'images' | 'catalog' | 'index' | 'clock'>,
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
 * Brings an image shared by an earlier release up to date: its search entries (prefix terms,
 * its style) and, when it has none, its popularity entries, ranked as shared at its last
 * change (`updatedAt`, the nearest thing to a share time such a record keeps). Running it
 * again changes nothing more.
 */
export async function upgradeSharedImage(
  deps: Pick<SharingDeps, 'catalog' | 'index' | 'clock'>,
  image: ImageRecord,
): Promise<{ reindexed: boolean; ranked: boolean }> {
  if (!image.isPublic || image.status !== 'READY') return { reindexed: false, ranked: false };
  const words = imageSearchWords(image);
  await deps.index.set(image.imageId, words, image.indexedWords ?? []);
  await deps.catalog.update(image, { isPublic: true, indexedWords: words }, deps.clock.now().toISOString());
  const ranked = image.sharedAt === undefined && (await deps.catalog.rankShared(image, image.updatedAt));
  return { reindexed: true, ranked };
}

/** What the gallery is asked for: words, an order, a period for the popular order, a style. */
export interface GalleryRequest {
  readonly q?: string;
  readonly sort?: 'newest' | 'popular';
  readonly period?: PopularPeriod;
  readonly style?: string;
  readonly limit: number;
  readonly startKey?: PageKey;
}

/**
 * The public gallery, newest first; with `q`, only the images whose prompt, title and
 * description hold every word of it (case and accents aside; a word of 3 letters or more
 * also matches the words it begins); with `style`, only images of that style; with
 * `sort=popular`, most liked first among those shared within `period`. Each image an index
 * names is checked to be public and READY still, since an index may lag a change by a moment.
 */
export async function browseGallery(
  deps: Pick<SharingDeps, 'catalog' | 'index' | 'clock'>,
  options: GalleryRequest,
): Promise<Page<ImageRecord>> {
  if (options.sort === 'popular') {
    const cursor = options.startKey as PopularCursor | undefined;
    // Later pages keep the window of the first, so a day that turns does not reshuffle them.
    const at = cursor?.at ?? deps.clock.now().toISOString();
    const sources = popularSources(options.period ?? 'week', new Date(at), options.style);
    const found = await popularPage(deps.catalog.readRanked, sources, {
      limit: options.limit,
      ...(cursor ? { positions: cursor.positions } : {}),
    });
    return shownOnly(deps, found.items, found.positions ? { at, positions: found.positions } : undefined);
  }
  const words = [
    ...(options.q ? searchWords(options.q) : []),
    ...(options.style ? [styleWord(options.style)] : []),
  ];
  if (!words.length) return deps.catalog.listGallery(options);
  const found = await deps.index.search(words, options);
  return shownOnly(deps, found.items, found.lastKey);
}

async function shownOnly(
  deps: Pick<SharingDeps, 'catalog'>,
  imageIds: readonly string[],
  lastKey: PageKey | undefined,
): Promise<Page<ImageRecord>> {
  const images = imageIds.length ? await deps.catalog.getMany(imageIds) : [];
  return {
    items: images.filter((image) => image.isPublic && image.status === 'READY'),
    ...(lastKey ? { lastKey } : {}),
  };
}
