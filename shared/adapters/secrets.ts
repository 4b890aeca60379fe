import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cursorCodec } from '../http/cursor.ts';

/**
 * A secret's value: the local value when one is given (development), else read from
 * Secrets Manager once per cold start. Never put in the environment or a log.
 */
export async function resolveSecret(name: string, local: string | undefined, secretId: string | undefined) {
  if (local) return local;
  if (!secretId) throw new Error(`${name}: neither the value nor a secret id is configured`);
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error(`${name}: the secret ${secretId} holds no string`);
    return SecretString.trim();
  } finally {
    client.destroy();
  }
}

/** The pagination cursor codec, its key read once per cold start. */
export async function loadCursorCodec(config: { CURSOR_SECRET?: string; CURSOR_SECRET_ID?: string }) {
  return cursorCodec(await resolveSecret('the cursor key', config.CURSOR_SECRET, config.CURSOR_SECRET_ID));
}
