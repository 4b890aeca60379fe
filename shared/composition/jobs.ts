import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { sqsClient } from '../adapters/clients/sqs.ts';
import { announcedJobRepository } from '../adapters/socket-job-events.ts';
import { sqsJobQueue } from '../adapters/sqs-job-queue.ts';
import { systemClock } from '../domain/ports.ts';
import { newId } from '../ids.ts';
import { once } from './once.ts';
import { imageRecords, type TableConfig } from './table.ts';

type JobsConfig = TableConfig & { readonly LIVE_CONNECTIONS_URL: string; readonly JOBS_QUEUE_URL: string };

/** The jobs, whose every change is announced to their owner's sockets. */
export const jobs = /* @__PURE__ */ once((config: TableConfig & { readonly LIVE_CONNECTIONS_URL: string }) =>
  announcedJobRepository(dynamoDocumentClient(), config),
);

/** What accepting a job takes: the jobs, their queue, the time and new ids. */
export const jobDeps = /* @__PURE__ */ once((config: JobsConfig) => ({
  jobs: jobs(config),
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  clock: systemClock,
  newId,
}));

/** What asking the vision model to describe an image takes. */
export const descriptionDeps = /* @__PURE__ */ once(
  (config: JobsConfig & { readonly VISION_MODEL: string; readonly DESCRIPTIONS_PER_DAY: number }) => ({
    ...jobDeps(config),
    images: imageRecords(config),
    visionModel: config.VISION_MODEL,
    descriptionsPerDay: config.DESCRIPTIONS_PER_DAY,
  }),
);
