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
import { clientConfig } from '../../../scripts/emulator/emulator.ts';
import type { LocalStack } from '../../../scripts/emulator/provision.ts';

/** A confirmed user of the emulator's pool, logged in: its Cognito tokens. */
export async function createLoggedInUser(stack: LocalStack, email: string, password = 'Correct-Horse-9') {
  const cognito = new CognitoIdentityProviderClient(
    clientConfig('COGNITO_IDENTITY_PROVIDER', stack.endpoint, stack.region),
  );
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

const toBig = (value: string) => BigInt(`0x${Buffer.from(value, 'base64url').toString('hex') || '0'}`);
const fromBig = (value: bigint) => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r, oldS, s] = [a % m, m, 1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

/** The primes of an RSA key from n, e and d (the emulator ships only those), as in RFC 8017's note on key recovery. */
function factor(n: bigint, e: bigint, d: bigint): [bigint, bigint] {
  const k = d * e - 1n;
  for (let g = 2n; g < 1000n; g++) {
    let t = k;
    while (t % 2n === 0n) {
      t /= 2n;
      const x = modPow(g, t, n);
      const p = gcd(x - 1n, n);
      if (x > 1n && p > 1n && p < n) return [p, n / p];
    }
  }
  throw new Error('could not factor the emulator key');
}

function motoSigningKey() {
  const sitePackages = path.resolve(import.meta.dirname, '../../../.venv/lib');
  const python = readdirSync(sitePackages).find((name) => name.startsWith('python'))!;
  const file = path.join(
    sitePackages,
    python,
    'site-packages/moto/cognitoidp/resources/jwks-private.json.gz',
  );
  const jwk = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Record<string, string>;
  const [n, e, d] = [toBig(jwk.n!), toBig(jwk.e!), toBig(jwk.d!)];
  const [p, q] = factor(n, e, d);
  return createPrivateKey({
    key: {
      kty: 'RSA',
      n: jwk.n,
      e: jwk.e,
      d: jwk.d,
      p: fromBig(p),
      q: fromBig(q),
      dp: fromBig(d % (p - 1n)),
      dq: fromBig(d % (q - 1n)),
      qi: fromBig(modInverse(q, p)),
    },
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
