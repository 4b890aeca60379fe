import type { BenchFigures } from './figures.ts';

/**
 * What `npm run bench` measured on a 2-core development machine, for `npm run cost` when
 * no bench has run here. Calls per job do not depend on the machine; memory does a little.
 */
export const referenceFigures: BenchFigures = {
  measuredOn: '2026-11-29',
  callsPerJob: {
    'DynamoDB.BatchGetItem': 1,
    'DynamoDB.GetItem': 4,
    'DynamoDB.TransactWriteItems': 4,
    'S3.PUT object': 2,
    'SQS.DeleteMessageBatch': 1,
    'SQS.ReceiveMessage': 2.9,
    'SQS.SendMessage': 1,
  },
  memory: { workerJobsMb: 209, workerUploadsMb: 355, workerJobsAfterDescribingMb: 211, floorMb: 130 },
};
