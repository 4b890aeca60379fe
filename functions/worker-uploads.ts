import type { SQSRecord } from 'aws-lambda';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { s3Client } from '../shared/adapters/clients/s3.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { sharpImageProcessor } from '../shared/adapters/sharp-image-processor.ts';
import { announcedJobRepository } from '../shared/adapters/socket-job-events.ts';
import { sqsJobQueue } from '../shared/adapters/sqs-job-queue.ts';
import { uploadRepository } from '../shared/adapters/upload-repository.ts';
import { loadConfig } from '../shared/config.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { type ProcessUploadDeps, processUpload } from '../shared/domain/uploads/process-upload.ts';
import { functionConfig } from '../shared/function-config.ts';
import { newId } from '../shared/ids.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { createdObjectKeys } from '../shared/queue/s3-events.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig(functionConfig['worker-uploads']);
const db = dynamoDocumentClient();

const deps: ProcessUploadDeps = {
  uploads: uploadRepository(db, config.TABLE_NAME),
  images: imageRepository(db, config.TABLE_NAME),
  storage: s3ObjectStorage(s3Client(), config.IMAGE_BUCKET),
  processor: sharpImageProcessor,
  jobs: announcedJobRepository(db, config),
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  clock: systemClock,
  newId,
  visionModel: config.VISION_MODEL,
  descriptionsPerDay: config.DESCRIPTIONS_PER_DAY,
};

/** One S3 notification: each object it announces is processed; a failure retries the message. */
async function handleRecord(record: SQSRecord) {
  const keys = createdObjectKeys(record.body);
  if (keys === undefined) {
    // Retrying cannot fix a message that is not an S3 event: keep it out of the DLQ's way, loudly.
    logger.error('dropping a message that is not an S3 notification', { body: record.body.slice(0, 500) });
    return;
  }
  for (const key of keys) {
    const outcome = await processUpload(deps, key);
    if (outcome === 'ready') count('uploadsReady');
    if (outcome === 'failed') count('uploadsRefused');
  }
}

export const handler = sqsWorker({
  handleRecord,
  sqs: sqsClient(),
  retry: { baseSeconds: config.RETRY_BASE_SECONDS, maxSeconds: config.RETRY_MAX_SECONDS },
});
