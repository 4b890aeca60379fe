import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../../tracer.ts';

/*
 * One client of each kind per container, created on first use and kept warm, each in a
 * module of its own so that a function's bundle carries only the clients it uses. Endpoints
 * come from the SDK's own AWS_ENDPOINT_URL(_<SERVICE>) variables, so the same code talks
 * to AWS, moto or LocalStack. Each call is a subsegment of the invocation's X-Ray trace.
 */

let documentClient: DynamoDBDocumentClient | undefined;
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}
