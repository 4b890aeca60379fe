import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { BadCursorError } from '../errors.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Pagination cursors: the page's last key, encrypted and authenticated with AES-256-GCM
 * under a key derived from the cursor secret, so nothing in a cursor (table keys, owner ids)
 * can be read. The listing it came from (route, caller, filters) is the additional
 * authenticated data: a forged, truncated, old-format or foreign cursor fails
 * authentication and answers 400 BAD_CURSOR; it never starts a query anywhere else.
 */
export function cursorCodec(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'easel pagination cursor v2', 32));

  return {
    encode(lastKey: Record<string, unknown> | undefined, binding: string): string | null {
      if (!lastKey) return null;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(binding));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(lastKey), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    decode(cursor: string | undefined, binding: string): Record<string, unknown> | undefined {
      if (cursor === undefined) return undefined;
      const bytes = Buffer.from(cursor, 'base64url');
      // Node skips characters it cannot decode; only the exact encoding of the bytes counts.
      if (bytes.toString('base64url') !== cursor || bytes.length <= IV_BYTES + TAG_BYTES) {
        throw new BadCursorError();
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(binding)).setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]);
        const lastKey = JSON.parse(plain.toString('utf8'));
        if (!lastKey || typeof lastKey !== 'object' || Array.isArray(lastKey)) throw new BadCursorError();
        return lastKey;
      } catch {
        throw new BadCursorError();
      }
    },
  };
}

export type CursorCodec = ReturnType<typeof cursorCodec>;
