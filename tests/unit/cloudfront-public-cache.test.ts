import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cloudFrontPublicCache } from '../../shared/adapters/cloudfront-public-cache.ts';

const cloudFront = mockClient(CloudFrontClient);

beforeEach(() => {
  cloudFront.reset();
  cloudFront
    .on(CreateInvalidationCommand)
    .resolves({ Invalidation: { Id: 'I1', Status: 'InProgress' } as never });
});

describe('cloudFrontPublicCache', () => {
  it('invalidates exactly the paths on its own distribution, with a fresh caller reference each time', async () => {
    const cache = cloudFrontPublicCache(new CloudFrontClient({ region: 'us-east-1' }), 'E2DIST');
    await cache.invalidate(['/img/tok/original.png', '/img/tok/thumbnail.webp']);
    await cache.invalidate(['/img/tok/original.png']);
    const calls = cloudFront.commandCalls(CreateInvalidationCommand).map((call) => call.args[0].input);
    expect(calls[0]).toMatchObject({
      DistributionId: 'E2DIST',
      InvalidationBatch: {
        Paths: { Quantity: 2, Items: ['/img/tok/original.png', '/img/tok/thumbnail.webp'] },
      },
    });
    expect(calls[0]!.InvalidationBatch!.CallerReference).not.toBe(
      calls[1]!.InvalidationBatch!.CallerReference,
    );
  });

  it('sends nothing for no paths', async () => {
    await cloudFrontPublicCache(new CloudFrontClient({ region: 'us-east-1' }), 'E2DIST').invalidate([]);
    expect(cloudFront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
  });

  it('lets a refusal through, so the caller can be retried', async () => {
    cloudFront.on(CreateInvalidationCommand).rejects(new Error('TooManyInvalidationsInProgress'));
    await expect(
      cloudFrontPublicCache(new CloudFrontClient({ region: 'us-east-1' }), 'E2DIST').invalidate(['/img/a']),
    ).rejects.toThrow('TooManyInvalidationsInProgress');
  });
});
