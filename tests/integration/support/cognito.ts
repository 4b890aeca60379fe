import { createPrivateKey, createSign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { LocalStack } from '../../../scripts/emulator/provision.ts';

/** A confirmed user of the emulator's pool, logged in: its Cognito tokens. */
export async function createLoggedInUser(stack: LocalStack, email: string, password = 'Correct-Horse-9') {
  const cognito = new CognitoIdentityProviderClient({ region: stack.region, endpoint: stack.endpoint });
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: stack.userPoolId,
        Username: email,
        Password: password,
        Permanent: true,
      }),
    );
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    return auth.AuthenticationResult!;
  } finally {
    cognito.destroy();
  }
}

function motoSigningKey() {
  const sitePackages = path.resolve(import.meta.dirname, '../../../.venv/lib');
  const python = readdirSync(sitePackages).find((name) => name.startsWith('python'))!;
  const file = path.join(
    sitePackages,
    python,
    'site-packages/moto/cognitoidp/resources/jwks-private.json.gz',
  );
  return createPrivateKey({
    key: JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')),
    format: 'jwk',
  });
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * A token signed with the emulator's own key, so that everything but the claims under
 * test is valid: an expired token must be refused for its expiry, not its signature.
 */
export function signedToken(claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', kid: 'dummy', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${base64url(signer.sign(motoSigningKey()))}`;
}

export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
