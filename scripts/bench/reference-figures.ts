import type { BenchFigures } from './figures.ts';

/**
 * What `npm run bench` measured on a 2-core development machine, for `npm run cost` when
 * no bench has run here. Calls per job do not depend on the machine; memory does a little.
 */
export const referenceFigures: BenchFigures = {
  measuredOn: '2026-11-30',
  callsPerJob: {
    'DynamoDB.BatchGetItem': 1,
    'DynamoDB.GetItem': 4,
    'DynamoDB.TransactWriteItems': 4,
    'S3.PUT object': 3,
    'SQS.DeleteMessageBatch': 1,
    'SQS.ReceiveMessage': 10.2,
    'SQS.SendMessage': 1,
  },
  memory: { workerJobsMb: 238, workerUploadsMb: 357, workerJobsAfterDescribingMb: 238, floorMb: 115 },
};
