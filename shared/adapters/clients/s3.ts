import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../../tracer.ts';

const emulated = () => Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3);

let s3: S3Client | undefined;
/** One per container (see ./dynamodb.ts). */
export function s3Client(): S3Client {
  // Emulators serve buckets by path; virtual-host names like bucket.127.0.0.1 do not resolve.
  s3 ??= tracer.captureAWSv3Client(new S3Client({ forcePathStyle: emulated() }));
  return s3;
}
