import { CloudFrontClient } from '@aws-sdk/client-cloudfront';

let cloudFront: CloudFrontClient | undefined;
/** One per container (see ./dynamodb.ts). */
export function cloudFrontClient(): CloudFrontClient {
  // CloudFront is global; its API lives in us-east-1 whatever the function's region.
  cloudFront ??= new CloudFrontClient({ region: 'us-east-1' });
  return cloudFront;
}
