import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { tracer } from '../../tracer.ts';

let cognito: CognitoIdentityProviderClient | undefined;
/** One per container (see ./dynamodb.ts). */
export function cognitoClient(): CognitoIdentityProviderClient {
  cognito ??= tracer.captureAWSv3Client(new CognitoIdentityProviderClient({}));
  return cognito;
}
