import type { SQSRecord } from 'aws-lambda';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { uploads } from '../shared/composition/table.ts';
import { imageIntake } from '../shared/composition/uploads.ts';
import { loadConfig } from '../shared/config.ts';
import { type ProcessUploadDeps, processUpload } from '../shared/domain/uploads/process-upload.ts';
import { functionConfig } from '../shared/function-config.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { createdObjectKeys } from '../shared/queue/s3-events.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig(functionConfig['worker-uploads']);
const deps: ProcessUploadDeps = { ...imageIntake(config), uploads: uploads(config) };

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
