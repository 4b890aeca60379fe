import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

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
