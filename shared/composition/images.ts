import { cloudFrontClient } from '../adapters/clients/cloudfront.ts';
import { cloudFrontPublicCache } from '../adapters/cloudfront-public-cache.ts';
import type { SharingDeps } from '../domain/images/sharing.ts';
import { systemClock } from '../domain/ports.ts';
import { newToken } from '../ids.ts';
import { once } from './once.ts';
import { type BucketConfig, storage } from './storage.ts';
import { catalog, imageRecords, searchIndex, type TableConfig } from './table.ts';

type ImagesConfig = TableConfig & BucketConfig & { readonly DISTRIBUTION_ID: string };

/** The CDN's cache of public copies. */
export const publicCache = /* @__PURE__ */ once((config: { readonly DISTRIBUTION_ID: string }) =>
  cloudFrontPublicCache(cloudFrontClient(), config.DISTRIBUTION_ID),
);

/** What removing an image wholly takes: its records, its objects, its index entries, the CDN's copies. */
export const imageRemoval = /* @__PURE__ */ once((config: ImagesConfig) => ({
  images: imageRecords(config),
  storage: storage(config),
  index: searchIndex(config),
  cache: publicCache(config),
  clock: systemClock,
}));

/** What changing, sharing and deleting images takes. */
export const sharing = /* @__PURE__ */ once(
  (config: ImagesConfig): SharingDeps => ({
    ...imageRemoval(config),
    catalog: catalog(config),
    newToken,
  }),
);
