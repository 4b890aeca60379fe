import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { characterRepository } from '../shared/adapters/character-repository.ts';
import { cloudFrontClient } from '../shared/adapters/clients/cloudfront.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { s3Client } from '../shared/adapters/clients/s3.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cloudFrontPublicCache } from '../shared/adapters/cloudfront-public-cache.ts';
import { imageCatalog } from '../shared/adapters/image-catalog.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import {
  createOpenAiClient,
  openAiImageDescriber,
  openAiImageProvider,
} from '../shared/adapters/openai-image-provider.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { searchIndexRepository } from '../shared/adapters/search-index-repository.ts';
import { sharpImageProcessor } from '../shared/adapters/sharp-image-processor.ts';
import { announcedJobRepository } from '../shared/adapters/socket-job-events.ts';
import { loadConfig } from '../shared/config.ts';
import { systemClock } from '../shared/domain/accounts/ports.ts';
import { runPortrait } from '../shared/domain/characters/run-portrait.ts';
import { runDescription } from '../shared/domain/descriptions/descriptions.ts';
import { runEdit } from '../shared/domain/edits/run-edit.ts';
import type { JobType } from '../shared/domain/generation/jobs.ts';
import { runGeneration } from '../shared/domain/generation/run-generation.ts';
import type { Observer, RunOutcome } from '../shared/domain/generation/run-job.ts';
import { removeImage } from '../shared/domain/images/delete-image.ts';
import { reindexImage } from '../shared/domain/images/sharing.ts';
import { functionConfig } from '../shared/function-config.ts';
import { logger } from '../shared/logger.ts';
import { count, countImagesMade, recordMilliseconds } from '../shared/metrics.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig(functionConfig['worker-jobs']);
const db = dynamoDocumentClient();
const openAi = await createOpenAiClient(config);

const observe: Observer = (event) => {
  if (event.name === 'provider') {
    recordMilliseconds(event.ok ? 'providerLatency' : 'providerFailureLatency', event.milliseconds);
  } else if (event.name === 'images') {
    countImagesMade(event.count);
  } else {
    count('jobsFailed', event.code);
  }
};

const images = imageRepository(db, config.TABLE_NAME);
const index = searchIndexRepository(db, config.TABLE_NAME);
const catalog = imageCatalog(db, config.TABLE_NAME);
const deps = {
  jobs: announcedJobRepository(db, config),
  images,
  storage: s3ObjectStorage(s3Client(), config.IMAGE_BUCKET),
  provider: openAiImageProvider(openAi),
  describer: openAiImageDescriber(openAi),
  processor: sharpImageProcessor,
  clock: systemClock,
  observe,
  index,
  cache: cloudFrontPublicCache(cloudFrontClient(), config.DISTRIBUTION_ID),
  described: async (imageId: string) => {
    await reindexImage({ images, catalog, index, clock: systemClock }, imageId);
  },
};

const portraitDeps = {
  ...deps,
  characters: characterRepository(db, config.TABLE_NAME),
  // A portrait that lost its character, or was replaced by a newer one, goes with all its objects.
  removeImage: (imageId: string) => removeImage(portraitDeps, imageId),
};

/** The worker of each job type; the job itself (by its id) is the source of truth. */
const runners: Partial<Record<JobType, (jobId: string) => Promise<RunOutcome>>> = {
  generation: (jobId) => runGeneration(deps, jobId),
  edit: (jobId) => runEdit(deps, jobId),
  description: (jobId) => runDescription(deps, jobId),
  portrait: (jobId) => runPortrait(portraitDeps, jobId),
};

const JobMessage = z.object({
  jobId: z.string().min(1),
  type: z.enum(['generation', 'edit', 'portrait', 'description']),
});

async function handleRecord(record: SQSRecord) {
  const parsed = JobMessage.safeParse(JSON.parse(record.body));
  if (!parsed.success) {
    // Retrying cannot fix a message that is not a job message: keep it out of the DLQ's way, loudly.
    logger.error('dropping a message that is not a job message', { body: record.body.slice(0, 500) });
    return;
  }
  const { jobId, type } = parsed.data;
  const run = runners[type];
  if (!run) throw new Error(`no worker for ${type} jobs`);
  let outcome: RunOutcome;
  try {
    outcome = await run(jobId);
  } finally {
    // RUNNING is told while the work goes on: the function does not return before it is.
    await deps.jobs.settled();
  }
  logger.info('job processed', { jobId, jobType: type, outcome });
  if (outcome === 'succeeded') count('jobsSucceeded');
}

export const handler = sqsWorker({
  handleRecord,
  sqs: sqsClient(),
  retry: { baseSeconds: config.RETRY_BASE_SECONDS, maxSeconds: config.RETRY_MAX_SECONDS },
});
