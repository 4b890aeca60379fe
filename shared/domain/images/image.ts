import type { JobError } from '../generation/jobs.ts';

export type ImageKind = 'generated' | 'edited' | 'uploaded' | 'portrait';
export type ImageStatus = 'PENDING' | 'READY' | 'FAILED';
export type DescriptionStatus = 'NONE' | 'PENDING' | 'READY' | 'FAILED';

export const imageKinds: readonly ImageKind[] = ['generated', 'edited', 'uploaded', 'portrait'];

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
  readonly description?: string;
  readonly descriptionStatus: DescriptionStatus;
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
  readonly commentCount: number;
  readonly error?: JobError;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Where an image's objects live: immutable keys under its id. */
export function imageObjectKeys(imageId: string, extension: string) {
  return {
    originalKey: `images/${imageId}/original.${extension}`,
    thumbnailKey: `images/${imageId}/thumbnail.webp`,
  };
}

export interface ImageUrls {
  readonly original: string;
  readonly thumbnail: string;
}

/** The image as the API shows it; storage keys stay inside. */
export function imageView(image: ImageRecord, urls: ImageUrls) {
  const {
    originalKey: _original,
    thumbnailKey: _thumbnail,
    jobId: _job,
    quality: _quality,
    ...shown
  } = image;
  return { ...shown, urls };
}
