import { createHmac } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const stepSeconds = 30;

/** RFC 4648 base32, as authenticator secrets are written (case and padding ignored). */
function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase().replace(/=+$/, '')) {
    const index = alphabet.indexOf(char);
    if (index === -1) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s steps) of a time step. */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/**
 * An authenticator app for tests. Each code is of a time step not used before (Cognito
 * refuses a code used once), and never in the last seconds of its step, so that the
 * server, which may accept only the current step, sees it in time. Waits when it must.
 */
export function authenticator(secret: string) {
  let lastStep = -1;
  return {
    async code(): Promise<string> {
      for (;;) {
        const now = Date.now() / 1000;
        const step = Math.floor(now / stepSeconds);
        const left = (step + 1) * stepSeconds - now;
        if (step > lastStep && left > 4) {
          lastStep = step;
          return totpAt(secret, step);
        }
        await new Promise((resolve) => setTimeout(resolve, (left + 0.2) * 1000));
      }
    },
    /** A code that is not the current one (nor the next). */
    wrongCode(): string {
      const step = Math.floor(Date.now() / 1000 / stepSeconds);
      const near = new Set([-1, 0, 1].map((offset) => totpAt(secret, step + offset)));
      let candidate = 0;
      while (near.has(String(candidate).padStart(6, '0'))) candidate += 1;
      return String(candidate).padStart(6, '0');
    },
  };
}
