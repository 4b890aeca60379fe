import { SQSClient } from '@aws-sdk/client-sqs';
import { tracer } from '../../tracer.ts';

let sqs: SQSClient | undefined;
/** One per container (see ./dynamodb.ts). */
export function sqsClient(): SQSClient {
  // Where an endpoint is configured, calls go there rather than to the host a queue URL
  // names: locally that endpoint may stand in front of the emulator (and record the calls).
  const endpoint = process.env.AWS_ENDPOINT_URL_SQS || process.env.AWS_ENDPOINT_URL;
  sqs ??= tracer.captureAWSv3Client(new SQSClient({ useQueueUrlAsEndpoint: !endpoint }));
  return sqs;
}
