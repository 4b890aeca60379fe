import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../tracer.ts';

/*
 * One client of each kind per container, created on first use and kept warm. Endpoints
 * come from the SDK's own AWS_ENDPOINT_URL(_<SERVICE>) variables, so the same code talks
 * to AWS, moto or LocalStack. Each call is a subsegment of the invocation's X-Ray trace.
 */

const emulated = () => Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3);

let documentClient: DynamoDBDocumentClient | undefined;
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

let s3: S3Client | undefined;
export function s3Client(): S3Client {
  // Emulators serve buckets by path; virtual-host names like bucket.127.0.0.1 do not resolve.
  s3 ??= tracer.captureAWSv3Client(new S3Client({ forcePathStyle: emulated() }));
  return s3;
}

let sqs: SQSClient | undefined;
export function sqsClient(): SQSClient {
  // Where an endpoint is configured, calls go there rather than to the host a queue URL
  // names: locally that endpoint may stand in front of the emulator (and record the calls).
  const endpoint = process.env.AWS_ENDPOINT_URL_SQS || process.env.AWS_ENDPOINT_URL;
  sqs ??= tracer.captureAWSv3Client(new SQSClient({ useQueueUrlAsEndpoint: !endpoint }));
  return sqs;
}

let cognito: CognitoIdentityProviderClient | undefined;
export function cognitoClient(): CognitoIdentityProviderClient {
  cognito ??= tracer.captureAWSv3Client(new CognitoIdentityProviderClient({}));
  return cognito;
}

let cloudFront: CloudFrontClient | undefined;
export function cloudFrontClient(): CloudFrontClient {
  // CloudFront is global; its API lives in us-east-1 whatever the function's region.
  cloudFront ??= new CloudFrontClient({ region: 'us-east-1' });
  return cloudFront;
}

const managementClients = new Map<string, ApiGatewayManagementApiClient>();
/** API Gateway's management API of a WebSocket stage (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`). */
export function liveConnectionsClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = tracer.captureAWSv3Client(new ApiGatewayManagementApiClient({ endpoint }));
    managementClients.set(endpoint, client);
  }
  return client;
}
