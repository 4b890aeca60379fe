import { randomUUID } from 'node:crypto';
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { PublicCache } from '../domain/ports.ts';

/**
 * The distribution's cache of public images. An invalidation is accepted at once and
 * spreads to every edge within minutes; the caller does not wait for it.
 */
export function cloudFrontPublicCache(cloudFront: CloudFrontClient, distributionId: string): PublicCache {
  return {
    async invalidate(paths) {
      if (paths.length === 0) return;
      await cloudFront.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: {
            // Unique per call: the same reference twice would be taken for a retry of the first.
            CallerReference: randomUUID(),
            Paths: { Quantity: paths.length, Items: [...paths] },
          },
        }),
      );
    },
  };
}
