import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { characterRepository } from '../shared/adapters/character-repository.ts';
import { cloudFrontPublicCache } from '../shared/adapters/cloudfront-public-cache.ts';
import { readGlobalStats } from '../shared/adapters/global-stats.ts';
import { imageCatalog } from '../shared/adapters/image-catalog.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { backfillPublicImages } from '../shared/adapters/public-profile-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { searchIndexRepository } from '../shared/adapters/search-index-repository.ts';
import { operatorIndex } from '../shared/adapters/table-keys.ts';
import { deleteCharacter } from '../shared/domain/characters/characters.ts';
import { removeImage } from '../shared/domain/images/delete-image.ts';
import { upgradeSharedImage } from '../shared/domain/images/sharing.ts';
import { type PageKey, systemClock } from '../shared/domain/ports.ts';
import type { Deployment } from './deployment.ts';
import { CliError } from './errors.ts';

const indexKeys = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];

export interface OperatorPage {
  readonly items: Record<string, unknown>[];
  readonly nextCursor: string | null;
}

/**
 * The table as operators read it: the deployment-wide listings of the `gallery` index's
 * operator partitions, and deletions through the same use cases the API runs.
 */
export function operatorStore(deployment: Deployment) {
  const dynamo = new DynamoDBClient(deployment.clientConfig('DYNAMODB'));
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // The emulator's buckets are paths of its one host, never subdomains.
  const s3Config = deployment.clientConfig('S3');
  const s3 = new S3Client({ ...s3Config, forcePathStyle: s3Config.endpoint !== undefined });
  const characters = characterRepository(db, deployment.tableName);
  const images = imageRepository(db, deployment.tableName);

  async function list(partition: string, limit: number, cursor: string | undefined): Promise<OperatorPage> {
    let startKey: Record<string, unknown> | undefined;
    if (cursor) {
      try {
        startKey = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw new CliError('--cursor: not a cursor this command printed.', 2);
      }
    }
    const { Items = [], LastEvaluatedKey } = await db.send(
      new QueryCommand({
        TableName: deployment.tableName,
        IndexName: operatorIndex.name,
        KeyConditionExpression: 'gsi3pk = :partition',
        ExpressionAttributeValues: { ':partition': partition },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      items: Items.map((item) =>
        Object.fromEntries(Object.entries(item).filter(([key]) => !indexKeys.includes(key))),
      ),
      nextCursor: LastEvaluatedKey
        ? Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url')
        : null,
    };
  }

  return {
    failedJobs: (limit: number, cursor?: string) => list(operatorIndex.failedJobs, limit, cursor),
    characters: (limit: number, cursor?: string) => list(operatorIndex.characters, limit, cursor),
    character: (characterId: string) => characters.get(characterId),
    stats: () => readGlobalStats(db, deployment.tableName),
    /**
     * Every shared image, newest first, brought up to date (`upgradeSharedImage`): its search
     * entries and its popularity entries. Told of each page's progress; safe to run again.
     */
    async upgradeGallery(progress: (done: { images: number; ranked: number }) => void) {
      const catalog = imageCatalog(db, deployment.tableName);
      const deps = { catalog, index: searchIndexRepository(db, deployment.tableName), clock: systemClock };
      const done = { images: 0, ranked: 0 };
      let startKey: PageKey | undefined;
      do {
        const page = await catalog.listGallery({ limit: 25, startKey });
        for (const image of page.items) {
          const outcome = await upgradeSharedImage(deps, image);
          if (outcome.reindexed) done.images++;
          if (outcome.ranked) done.ranked++;
        }
        progress(done);
        startKey = page.lastKey;
      } while (startKey);
      return done;
    },
    /** Lists on their owners' profiles the images shared before profiles listed them. */
    backfillProfiles: (onPage?: (progress: { seen: number; added: number }) => void) =>
      backfillPublicImages(db, deployment.tableName, onPage),
    /** As its owner would delete it: the portrait's objects and records go too. */
    async deleteCharacter(ownerId: string, characterId: string) {
      const storage = s3ObjectStorage(s3, deployment.imageBucket);
      const index = searchIndexRepository(db, deployment.tableName);
      const cloudFront = deployment.distributionId
        ? new CloudFrontClient({ region: 'us-east-1' })
        : undefined;
      // Locally `/img/*` is read from the bucket on every request: there is no cache to tell.
      const cache =
        cloudFront && deployment.distributionId
          ? cloudFrontPublicCache(cloudFront, deployment.distributionId)
          : { invalidate: async () => undefined };
      await deleteCharacter(
        {
          characters,
          removeImage: (imageId) =>
            removeImage({ images, storage, index, cache, clock: systemClock }, imageId),
        },
        ownerId,
        characterId,
      ).finally(() => cloudFront?.destroy());
    },
    destroy() {
      dynamo.destroy();
      s3.destroy();
    },
  };
}
