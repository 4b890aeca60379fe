import { sharpImageProcessor } from '../adapters/sharp-image-processor.ts';
import type { AddImageDeps } from '../domain/uploads/add-image.ts';
import { descriptionDeps } from './jobs.ts';
import { once } from './once.ts';
import { type BucketConfig, storage } from './storage.ts';

/** What taking in an image the user sent takes: its objects, decoding it, and asking for its description. */
export const imageIntake = /* @__PURE__ */ once(
  (config: Parameters<typeof descriptionDeps>[0] & BucketConfig): AddImageDeps => ({
    ...descriptionDeps(config),
    storage: storage(config),
    processor: sharpImageProcessor,
  }),
);
