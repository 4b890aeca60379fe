import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { characters } from '../shared/composition/characters.ts';
import { jobs } from '../shared/composition/jobs.ts';
import { imageRecords, uploads } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { portraitLifecycle } from '../shared/domain/characters/characters.ts';
import { failJob } from '../shared/domain/descriptions/descriptions.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { failUploadOfObject } from '../shared/domain/uploads/process-upload.ts';
import { functionConfig } from '../shared/function-config.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { createdObjectKeys } from '../shared/queue/s3-events.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig(functionConfig['worker-dead-letters']);
const deps = {
  jobs: jobs(config),
  images: imageRecords(config),
  uploads: uploads(config),
  clock: systemClock,
};

const JobMessage = z.object({ jobId: z.string().check(z.minLength(1)) });
const AccountDeletion = z.object({
  type: z.literal('deleteAccount'),
  userId: z.string().check(z.minLength(1)),
});

/**
 * A message lands here when its worker failed it `maxReceiveCount` times. A job message
 * fails its job with UPSTREAM_UNAVAILABLE (its quota given back, and for a description
 * the image's description too); an S3 upload event fails the upload and the image it was
 * to become. So nothing is left QUEUED, RUNNING or PENDING forever. The message itself
 * stays in the DLQ only if this fails too.
 */
async function handleRecord(record: SQSRecord) {
  try {
    await handleDeadLetter(record);
  } catch (error) {
    // The message comes back after the DLQ's visibility timeout; the operator is told now.
    count('deadLettersUnhandled');
    throw error;
  }
}

async function handleDeadLetter(record: SQSRecord) {
  const objectKeys = createdObjectKeys(record.body);
  if (objectKeys) {
    count('deadLetters', 'upload');
    for (const objectKey of objectKeys) {
      const failed = await failUploadOfObject(deps, objectKey, {
        code: 'UPLOAD_FAILED',
        message: 'The upload could not be processed after several tries; upload the file again.',
      });
      logger.warn('upload event moved to the dead-letter queue', { objectKey, failedNow: failed });
      if (failed) count('uploadsFailed');
    }
    return;
  }
  const deletion = AccountDeletion.safeParse(parseJson(record.body));
  if (deletion.success) {
    // Nothing here can finish it; it stays in the dead-letter queue (this alarms) until an
    // operator has fixed the cause and redriven it: `easel admin dlq redrive accounts`.
    count('deadLetters', 'account');
    logger.error('an account deletion kept failing; it stays in the dead-letter queue to be redriven', {
      userId: deletion.data.userId,
    });
    throw new Error(`account deletion of ${deletion.data.userId} kept failing`);
  }
  const parsed = JobMessage.safeParse(parseJson(record.body));
  if (!parsed.success) {
    count('deadLetters', 'unrecognised');
    logger.error('dead letter that names no job and no upload', {
      body: record.body.slice(0, 500),
      source: record.eventSourceARN,
    });
    return;
  }
  count('deadLetters', 'job');
  const { jobId } = parsed.data;
  const failed = await failJob(deps, jobId, {
    code: 'UPSTREAM_UNAVAILABLE',
    message: 'The image provider stayed unavailable after several tries.',
  });
  logger.warn('job moved to the dead-letter queue', { jobId, failedNow: failed });
  const job = await deps.jobs.get(jobId);
  if (job?.type === 'portrait' && job.error)
    await portraitLifecycle.failed({ characters: characters(config) }, job, job.error);
  if (failed) count('jobsFailed', 'UPSTREAM_UNAVAILABLE');
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

// A dead letter that fails here comes back after the DLQ's visibility timeout; the DLQ has no DLQ.
export const handler = sqsWorker({ handleRecord, sqs: sqsClient() });
