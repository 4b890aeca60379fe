import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { tracer } from '../../tracer.ts';

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
