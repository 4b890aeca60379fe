import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDocumentClient, sqsClient } from '../shared/adapters/aws-clients.ts';
import { jobRepository } from '../shared/adapters/job-repository.ts';
import { loadConfig } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { sqsWorker } from '../shared/queue/sqs-worker.ts';

const config = loadConfig(['TABLE_NAME']);
const metrics = new Metrics({ namespace: 'Easel', serviceName: 'dead-letters' });
const jobs = jobRepository(dynamoDocumentClient(), config.TABLE_NAME);

const JobMessage = z.object({ jobId: z.string().min(1) });

/**
 * A message lands here when its worker failed it `maxReceiveCount` times. The job it
 * carried fails with UPSTREAM_UNAVAILABLE (its quota given back), so no job is left
 * QUEUED or RUNNING forever. The message itself stays in the DLQ only if this fails too.
 */
async function handleRecord(record: SQSRecord) {
  const parsed = JobMessage.safeParse(JSON.parse(record.body));
  if (!parsed.success) {
    logger.error('dead letter that names no job', {
      body: record.body.slice(0, 500),
      source: record.eventSourceARN,
    });
    return;
  }
  const failed = await jobs.fail(
    parsed.data.jobId,
    { code: 'UPSTREAM_UNAVAILABLE', message: 'The image provider stayed unavailable after several tries.' },
    new Date().toISOString(),
  );
  logger.warn('job moved to the dead-letter queue', { jobId: parsed.data.jobId, failedNow: failed });
  if (failed) {
    const metric = metrics.singleMetric();
    metric.addDimension('reason', 'UPSTREAM_UNAVAILABLE');
    metric.addMetric('JobsFailed', MetricUnit.Count, 1);
  }
}

// A dead letter that fails here comes back after the DLQ's visibility timeout; the DLQ has no DLQ.
export const handler = sqsWorker({ handleRecord, sqs: sqsClient() });
