import { describe, expect, it } from 'vitest';
import { BadCursorError } from '../../shared/errors.ts';
import { cursorCodec } from '../../shared/http/cursor.ts';

const codec = cursorCodec('a-secret-of-enough-length');
const key = { pk: 'JOB#01J', sk: 'JOB', gsi1pk: 'OWNER#u1#JOBS', gsi1sk: '01J' };

describe('cursors', () => {
  it('round-trips the last key for the same listing', () => {
    const cursor = codec.encode(key, 'jobs:u1:')!;
    expect(codec.decode(cursor, 'jobs:u1:')).toEqual(key);
  });

  it('has no cursor after the last page', () => {
    expect(codec.encode(undefined, 'jobs:u1:')).toBeNull();
  });

  it('refuses a cursor from another user or listing', () => {
    const cursor = codec.encode(key, 'jobs:u1:')!;
    expect(() => codec.decode(cursor, 'jobs:u2:')).toThrow(BadCursorError);
    expect(() => codec.decode(cursor, 'jobs:u1:FAILED')).toThrow(BadCursorError);
  });

  it('refuses a cursor whose key was changed, or that is malformed', () => {
    const [, signature] = codec.encode(key, 'jobs:u1:')!.split('.');
    const forged = Buffer.from(JSON.stringify({ ...key, gsi1pk: 'OWNER#u2#JOBS' })).toString('base64url');
    for (const bad of [`${forged}.${signature}`, 'garbage', 'a.b.c', '.', `${forged}.`]) {
      expect(() => codec.decode(bad, 'jobs:u1:'), bad).toThrow(BadCursorError);
    }
  });

  it('refuses a cursor signed with another secret', () => {
    const other = cursorCodec('another-secret-entirely').encode(key, 'jobs:u1:')!;
    expect(() => codec.decode(other, 'jobs:u1:')).toThrow(BadCursorError);
  });
});
