import { type LikeStore, likedByViewer, listMyLikes } from '../likes/likes.ts';
import * as listings from '../listings.ts';
import { type Paged, type PageQuery, paged } from '../paging.ts';
import type { CursorCodec, ObjectStorage } from '../ports.ts';
import { listUserImages, type ProfileDeps } from '../profiles/profiles.ts';
import { searchWords } from '../search/words.ts';
import { type ImageKind, type ImageRecord, imageView } from './image.ts';
import { imageUrls, publicImageUrls } from './image-queries.ts';
import { browseGallery, type GalleryRequest, type ImageCatalog, type SharingDeps } from './sharing.ts';

/** What showing images takes: the URLs of their copies, and whether the viewer likes each. */
export interface ImageViewDeps {
  readonly storage: ObjectStorage;
  readonly cdnBaseUrl: string;
  readonly likes: Pick<LikeStore, 'likedAmong'>;
}

/** The images as the API shows them; with a viewer, each says whether they like it (one batch read). */
export async function showImages(
  deps: ImageViewDeps,
  images: readonly ImageRecord[],
  viewerId: string | undefined,
) {
  const liked = await likedByViewer(deps.likes, viewerId, images);
  return Promise.all(
    images.map(async (image) => ({
      ...imageView(image, await imageUrls(deps.storage, deps.cdnBaseUrl, image)),
      ...(liked ? { likedByMe: liked(image.imageId) } : {}),
    })),
  );
}

export async function showImage(deps: ImageViewDeps, image: ImageRecord, viewerId: string | undefined) {
  return (await showImages(deps, [image], viewerId))[0]!;
}

type ShownImage = Awaited<ReturnType<typeof showImage>>;

/** A page of the owner's images, newest first, optionally of one kind. */
export async function ownImagesPage(
  deps: ImageViewDeps & {
    readonly catalog: Pick<ImageCatalog, 'listByOwner'>;
    readonly cursors: CursorCodec;
  },
  ownerId: string,
  kind: ImageKind | undefined,
  page: PageQuery,
): Promise<Paged<ShownImage>> {
  const found = await paged(listings.images(ownerId, kind), deps.cursors, page, (options) =>
    deps.catalog.listByOwner(ownerId, { kind, ...options }),
  );
  return { ...found, items: await showImages(deps, found.items, ownerId) };
}

/** A page of the images the user likes, newest like first. */
export async function likedImagesPage(
  deps: ImageViewDeps & {
    readonly likes: LikeStore;
    readonly catalog: Pick<ImageCatalog, 'getMany'>;
    readonly cursors: CursorCodec;
  },
  userId: string,
  page: PageQuery,
): Promise<Paged<ShownImage>> {
  const found = await paged(listings.likes(userId), deps.cursors, page, (options) =>
    listMyLikes(deps, userId, options),
  );
  return { ...found, items: await showImages(deps, found.items, userId) };
}

/**
 * A page of the public gallery (see `browseGallery`). Gallery images are public: their URLs
 * are the CDN's, and nothing here signs or writes; with a viewer, each says whether they like it.
 */
export async function galleryPage(
  deps: Pick<SharingDeps, 'catalog' | 'index' | 'clock'> & {
    readonly likes: Pick<LikeStore, 'likedAmong'>;
    readonly cdnBaseUrl: string;
    readonly cursors: CursorCodec;
  },
  viewerId: string | undefined,
  request: Omit<GalleryRequest, 'limit' | 'startKey'>,
  page: PageQuery,
) {
  const found = await paged(
    listings.gallery({ ...request, words: searchWords(request.q ?? '') }),
    deps.cursors,
    page,
    (options) => browseGallery(deps, { ...request, ...options }),
  );
  const liked = await likedByViewer(deps.likes, viewerId, found.items);
  const items = found.items.map((image) => ({
    ...imageView(image, publicImageUrls(deps.cdnBaseUrl, image)),
    ...(liked ? { likedByMe: liked(image.imageId) } : {}),
  }));
  return { ...found, items };
}

/** A page of a user's public images, newest first, through the CDN. */
export async function userImagesPage(
  deps: ProfileDeps & { readonly cdnBaseUrl: string; readonly cursors: CursorCodec },
  userId: string,
  page: PageQuery,
) {
  const found = await paged(listings.userImages(userId), deps.cursors, page, (options) =>
    listUserImages(deps, userId, options),
  );
  return {
    ...found,
    items: found.items.map((image) => imageView(image, publicImageUrls(deps.cdnBaseUrl, image))),
  };
}
