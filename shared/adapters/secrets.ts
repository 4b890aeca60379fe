import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cursorCodec } from '../http/cursor.ts';

// One client for every secret a cold start reads, so they share a connection.
let client: SecretsManagerClient | undefined;

/**
 * A secret's value, read from Secrets Manager (the emulator's, locally) once per cold
 * start. Never put in the environment or a log.
 */
export async function readSecret(name: string, secretId: string): Promise<string> {
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new Error(`${name}: the secret ${secretId} holds no string`);
  return SecretString.trim();
}

/** The pagination cursor codec, its key read once per cold start. */
export async function loadCursorCodec(config: { CURSOR_SECRET_ID: string }) {
  return cursorCodec(await readSecret('the cursor key', config.CURSOR_SECRET_ID));
}

/** The secret CloudFront sends the API with each request, read once per cold start. */
export function loadOriginSecret(config: { ORIGIN_SECRET_ID: string }): Promise<string> {
  return readSecret('the origin secret', config.ORIGIN_SECRET_ID);
}
