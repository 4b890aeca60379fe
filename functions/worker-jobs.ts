import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDocumentClient, s3Client, sqsClient } from '../shared/adapters/aws-clients.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { jobRepository } from '../shared/adapters/job-repository.ts';
import { createOpenAiClient, openAiImageProvider } from '../shared/adapters/openai-image-provider.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { sharpImageProcessor } from '../shared/adapters/sharp-image-processor.ts';
import { loadConfig } from '../shared/config.ts';
import { systemClock } from '../shared/domain/accounts/ports.ts';
import { type RunGenerationDeps, runGeneration } from '../shared/domain/generation/run-generation.ts';
import { logger } from '../shared/logger.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig([
  'TABLE_NAME',
  'IMAGE_BUCKET',
  'OPENAI_API_KEY',
  'OPENAI_SECRET_ID',
  'OPENAI_BASE_URL',
  'OPENAI_TIMEOUT_MS',
  'RETRY_BASE_SECONDS',
  'RETRY_MAX_SECONDS',
]);
const metrics = new Metrics({ namespace: 'Easel', serviceName: 'jobs' });
const db = dynamoDocumentClient();
const jobs = jobRepository(db, config.TABLE_NAME);
const provider = openAiImageProvider(await createOpenAiClient(config));

const deps: RunGenerationDeps = {
  jobs,
  images: imageRepository(db, config.TABLE_NAME),
  storage: s3ObjectStorage(s3Client(), config.IMAGE_BUCKET),
  provider,
  processor: sharpImageProcessor,
  clock: systemClock,
  observe: (event) => {
    if (event.name === 'provider') {
      const name = event.ok ? 'ProviderLatency' : 'ProviderFailureLatency';
      metrics.addMetric(name, MetricUnit.Milliseconds, event.milliseconds);
      return;
    }
    const refused = metrics.singleMetric();
    refused.addDimension('reason', event.code);
    refused.addMetric('JobsFailed', MetricUnit.Count, 1);
  },
};

const JobMessage = z.object({
  jobId: z.string().min(1),
  type: z.enum(['generation', 'edit', 'portrait', 'description']),
});

async function handleRecord(record: SQSRecord) {
  const parsed = JobMessage.safeParse(JSON.parse(record.body));
  if (!parsed.success) {
    // Retrying cannot fix a message that is not a job: keep it out of the DLQ's way, loudly.
    logger.error('dropping a message that is not a job message', { body: record.body.slice(0, 500) });
    return;
  }
  const { jobId, type } = parsed.data;
  if (type !== 'generation') throw new Error(`no worker for ${type} jobs`);
  const outcome = await runGeneration(deps, jobId);
  logger.info('job processed', { jobId, jobType: type, outcome });
  if (outcome === 'succeeded') metrics.addMetric('JobsSucceeded', MetricUnit.Count, 1);
}

const worker = sqsWorker({
  handleRecord,
  sqs: sqsClient(),
  retry: { baseSeconds: config.RETRY_BASE_SECONDS, maxSeconds: config.RETRY_MAX_SECONDS },
});

export const handler: typeof worker = async (event, context) => {
  try {
    return await worker(event, context);
  } finally {
    metrics.publishStoredMetrics();
  }
};
