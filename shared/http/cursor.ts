import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadCursorError } from '../errors.ts';

/**
 * Pagination cursors: the page's last key, signed with a secret and bound to the listing
 * it came from (route, caller, filters). A forged, truncated or foreign cursor fails the
 * check and answers 400 BAD_CURSOR; it never starts a query anywhere else.
 */
export function cursorCodec(secret: string) {
  const sign = (binding: string, payload: string) =>
    createHmac('sha256', secret).update(binding).update('\n').update(payload).digest('base64url');

  return {
    encode(lastKey: Record<string, unknown> | undefined, binding: string): string | null {
      if (!lastKey) return null;
      const payload = Buffer.from(JSON.stringify(lastKey)).toString('base64url');
      return `${payload}.${sign(binding, payload)}`;
    },
    decode(cursor: string | undefined, binding: string): Record<string, unknown> | undefined {
      if (cursor === undefined) return undefined;
      const [payload, signature, extra] = cursor.split('.');
      if (!payload || !signature || extra !== undefined) throw new BadCursorError();
      const expected = Buffer.from(sign(binding, payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new BadCursorError();
      try {
        const key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        if (!key || typeof key !== 'object' || Array.isArray(key)) throw new BadCursorError();
        return key;
      } catch {
        throw new BadCursorError();
      }
    },
  };
}

export type CursorCodec = ReturnType<typeof cursorCodec>;
