import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadCursorError } from '../../shared/errors.ts';
import { cursorCodec } from '../../shared/http/cursor.ts';

const secret = 'a-secret-of-enough-length';
const codec = cursorCodec(secret);
const key = { pk: 'JOB#01J', sk: 'JOB', gsi1pk: 'OWNER#u1#JOBS', gsi1sk: '01J' };

describe('cursors', () => {
  it('round-trips the last key for the same listing', () => {
    const cursor = codec.encode(key, 'jobs:u1:')!;
    expect(codec.decode(cursor, 'jobs:u1:')).toEqual(key);
  });

  it('has no cursor after the last page', () => {
    expect(codec.encode(undefined, 'jobs:u1:')).toBeNull();
  });

  it('shows nothing of the key or the caller, in any encoding', () => {
    const cursor = codec.encode(key, 'jobs:u1:')!;
    const readable = [cursor, Buffer.from(cursor, 'base64url').toString('latin1')].join('\n');
    for (const part of ['OWNER#u1', 'JOB#01J', 'gsi1pk', Buffer.from('{"pk"').toString('base64url')]) {
      expect(readable).not.toContain(part);
    }
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('gives a different cursor each time for the same key', () => {
    expect(codec.encode(key, 'jobs:u1:')).not.toBe(codec.encode(key, 'jobs:u1:'));
  });

  it('refuses a cursor from another caller', () => {
    const cursor = codec.encode(key, 'jobs:u1:')!;
    expect(() => codec.decode(cursor, 'jobs:u2:')).toThrow(BadCursorError);
  });

  it('refuses a cursor from another listing', () => {
    const cursor = codec.encode(key, 'jobs:u1:')!;
    expect(() => codec.decode(cursor, 'jobs:u1:FAILED')).toThrow(BadCursorError);
    expect(() => codec.decode(cursor, 'images:u1:')).toThrow(BadCursorError);
  });

  it('refuses a tampered cursor, whichever byte was changed', () => {
    const bytes = Buffer.from(codec.encode(key, 'jobs:u1:')!, 'base64url');
    for (const index of [0, 11, 12, bytes.length - 17, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(() => codec.decode(tampered.toString('base64url'), 'jobs:u1:'), `byte ${index}`).toThrow(
        BadCursorError,
      );
    }
    const cursor = bytes.toString('base64url');
    for (const bad of [
      bytes.subarray(0, -1).toString('base64url'),
      `${cursor}x`,
      `${cursor}==`,
      ` ${cursor}`,
    ]) {
      expect(() => codec.decode(bad, 'jobs:u1:'), bad).toThrow(BadCursorError);
    }
  });

  it('refuses a cursor of the old readable, signed format', () => {
    const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
    const signature = createHmac('sha256', secret)
      .update('jobs:u1:')
      .update('\n')
      .update(payload)
      .digest('base64url');
    expect(() => codec.decode(`${payload}.${signature}`, 'jobs:u1:')).toThrow(BadCursorError);
    expect(() => codec.decode(payload, 'jobs:u1:')).toThrow(BadCursorError);
  });

  it('refuses malformed cursors', () => {
    for (const bad of ['', 'garbage', 'a.b.c', '.', 'AAAA', '%%%', 'x'.repeat(40)]) {
      expect(() => codec.decode(bad, 'jobs:u1:'), bad).toThrow(BadCursorError);
    }
  });

  it('refuses a cursor made with another secret', () => {
    const other = cursorCodec('another-secret-entirely').encode(key, 'jobs:u1:')!;
    expect(() => codec.decode(other, 'jobs:u1:')).toThrow(BadCursorError);
  });
});
