import { imagePrefix, publicImagePrefix } from '../../resources.ts';
import type { JobError } from '../generation/jobs.ts';

export type ImageKind = 'generated' | 'edited' | 'uploaded' | 'portrait';
/** `DELETING` is internal: such an image answers as a missing one while its delete finishes. */
export type ImageStatus = 'PENDING' | 'READY' | 'FAILED' | 'DELETING';
export type DescriptionStatus = 'NONE' | 'PENDING' | 'READY' | 'FAILED';
export type ImageFormat = 'png' | 'jpeg' | 'webp';

export const imageKinds: readonly ImageKind[] = ['generated', 'edited', 'uploaded', 'portrait'];

export const contentTypes: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

export interface ImageRecord {
  readonly imageId: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly kind: ImageKind;
  readonly status: ImageStatus;
  readonly prompt?: string;
  readonly style?: string;
  readonly model?: string;
  readonly size?: string;
  readonly quality?: string;
  /** What the person asked the image to leave out. */
  readonly negativePrompt?: string;
  readonly description?: string;
  readonly descriptionStatus: DescriptionStatus;
  /** Why the last description failed. */
  readonly descriptionError?: JobError;
  /** The description job whose answer the record waits for: an older job's late answer is ignored. */
  readonly descriptionJobId?: string;
  readonly title?: string;
  readonly isPublic: boolean;
  readonly parentImageId?: string;
  readonly characterId?: string;
  readonly jobId?: string;
  readonly width: number;
  readonly height: number;
  readonly contentType: string;
  /** Object keys in the image bucket. */
  readonly originalKey: string;
  readonly thumbnailKey: string;
  /** The WebP copy pages show in full (images stored before it existed have none: they show the original). */
  readonly displayKey?: string;
  /** The inputs of the edit that made the image, removed with it. */
  readonly sourceKey?: string;
  readonly maskKey?: string;
  readonly commentCount: number;
  /** Moved with each like in the same transaction; records older than likes have none (0). */
  readonly likeCount?: number;
  /**
   * When the image was last shared: the time its popularity entries were made under
   * (images shared before those entries existed have none).
   */
  readonly sharedAt?: string;
  /**
   * The unguessable part of the address of a shared image's public copies, new at every
   * share, so an address once unshared never serves again (caches included).
   */
  readonly publicToken?: string;
  /** The words a shared image is indexed under, so that unsharing removes exactly those. */
  readonly indexedWords?: readonly string[];
  readonly error?: JobError;
  /** Epoch seconds: a PENDING upload's record goes when the upload is never made. */
  readonly expiresAt?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Where an image's objects live: immutable keys under its id. */
export function imageObjectKeys(imageId: string, format: ImageFormat) {
  return {
    originalKey: `${imagePrefix}${imageId}/original.${format === 'jpeg' ? 'jpg' : format}`,
    thumbnailKey: `${imagePrefix}${imageId}/thumbnail.webp`,
    displayKey: `${imagePrefix}${imageId}/display.webp`,
  };
}

/**
 * Where a shared image's copies live: under `img/`, the only prefix the CDN serves, so a
 * private image can never be reached through it, and under the image's public token, so
 * the address cannot be guessed from its id. Images shared before tokens existed keep
 * their copies under their id.
 */
export function publicKeysOf(
  image: Pick<ImageRecord, 'originalKey' | 'thumbnailKey' | 'displayKey' | 'publicToken'>,
) {
  const { publicToken } = image;
  const publicKey = (key: string) =>
    publicToken
      ? `${publicImagePrefix}${publicToken}/${key.slice(key.lastIndexOf('/') + 1)}`
      : key.startsWith(imagePrefix)
        ? `${publicImagePrefix}${key.slice(imagePrefix.length)}`
        : key;
  return {
    original: publicKey(image.originalKey),
    thumbnail: publicKey(image.thumbnailKey),
    ...(image.displayKey ? { display: publicKey(image.displayKey) } : {}),
  };
}

/** Each public copy's key, the viewing copy's when the image has one. */
export function publicCopyKeys(
  image: Pick<ImageRecord, 'originalKey' | 'thumbnailKey' | 'displayKey' | 'publicToken'>,
) {
  const copies = publicKeysOf(image);
  return [copies.original, copies.thumbnail, ...(copies.display ? [copies.display] : [])];
}

/** The CDN paths of an image's public copies, to invalidate when they go. */
export function publicPathsOf(
  image: Pick<ImageRecord, 'originalKey' | 'thumbnailKey' | 'displayKey' | 'publicToken'>,
) {
  return publicCopyKeys(image).map((key) => `/${key}`);
}

/** Whether the image may have public copies that caches hold: it is shared, or was. */
export function hadPublicCopies(image: Pick<ImageRecord, 'isPublic' | 'publicToken'>): boolean {
  return image.isPublic || image.publicToken !== undefined;
}

/** Every object an image owns, its public copies included. */
export function objectKeysOf(image: ImageRecord): string[] {
  return [
    image.originalKey,
    image.thumbnailKey,
    image.displayKey,
    image.sourceKey,
    image.maskKey,
    ...publicCopyKeys(image),
  ].filter((key): key is string => key !== undefined);
}

export interface ImageUrls {
  readonly original: string;
  readonly thumbnail: string;
  /** The lighter copy to show in full on a page; absent for images stored before it existed. */
  readonly display?: string;
}

/** The image as the API shows it; storage keys and bookkeeping stay inside. */
export function imageView(image: ImageRecord, urls: ImageUrls) {
  const {
    originalKey: _original,
    thumbnailKey: _thumbnail,
    displayKey: _display,
    sourceKey: _source,
    maskKey: _mask,
    jobId: _job,
    descriptionJobId: _descriptionJob,
    expiresAt: _expiresAt,
    indexedWords: _indexedWords,
    publicToken: _publicToken,
    sharedAt: _sharedAt,
    ...shown
  } = image;
  // No path shows an image being deleted: reads refuse it and listings leave it out.
  const status = shown.status as Exclude<ImageStatus, 'DELETING'>;
  return { ...shown, status, likeCount: image.likeCount ?? 0, urls };
}
