import { s3Client } from '../adapters/clients/s3.ts';
import { s3ObjectStorage, s3UploadSigner } from '../adapters/s3-object-storage.ts';
import { once } from './once.ts';

export interface BucketConfig {
  readonly IMAGE_BUCKET: string;
}

/** The image objects in the bucket. */
export const storage = /* @__PURE__ */ once((config: BucketConfig) =>
  s3ObjectStorage(s3Client(), config.IMAGE_BUCKET),
);
/** Upload tickets: presigned POSTs into the bucket's upload prefix. */
export const uploadSigner = /* @__PURE__ */ once((config: BucketConfig) =>
  s3UploadSigner(s3Client(), config.IMAGE_BUCKET),
);
