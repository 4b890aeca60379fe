import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { originVerifyHeader } from '../../../shared/http/origin-verify.ts';

/** The origin secret the unit tests' functions read at cold start (from a mocked Secrets Manager). */
export const testOriginSecret = 'origin-secret-0123456789abcdefghijklmnopqrstuv';

/** Lets a function's cold start read `testOriginSecret`; call before importing it. */
export function mockOriginSecret(): void {
  process.env.ORIGIN_SECRET_ID = 'easel-test-origin';
  mockClient(SecretsManagerClient).on(GetSecretValueCommand).resolves({ SecretString: testOriginSecret });
}

/** The event as CloudFront forwards it: with the origin header. */
export function viaCloudFront<E extends APIGatewayProxyEventV2>(event: E): E {
  event.headers = { ...event.headers, [originVerifyHeader]: testOriginSecret };
  return event;
}
