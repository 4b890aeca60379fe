import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import {
  createOpenAiClient,
  openAiImageDescriber,
  openAiImageProvider,
} from '../shared/adapters/openai-image-provider.ts';
import { sharpImageProcessor } from '../shared/adapters/sharp-image-processor.ts';
import { characters } from '../shared/composition/characters.ts';
import { imageRemoval } from '../shared/composition/images.ts';
import { jobs } from '../shared/composition/jobs.ts';
import { catalog } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
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

const removal = imageRemoval(config);
const deps = {
  ...removal,
  jobs: jobs(config),
  provider: openAiImageProvider(openAi),
  describer: openAiImageDescriber(openAi),
  processor: sharpImageProcessor,
  observe,
  described: async (imageId: string) => {
    await reindexImage({ ...removal, catalog: catalog(config) }, imageId);
  },
};

const portraitDeps = {
  ...deps,
  characters: characters(config),
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
  jobId: z.string().check(z.minLength(1)),
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
