import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { solidImage } from '../support/images.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let mallory: { userId: string; token: string };
let imageId: string;

beforeAll(async () => {
  stack = await startTestStack({ pollQueues: false });
  api = apiClient(stack.url);
  mallory = await api.newUser('mallory@example.com');
  const added = await api.call('POST', '/api/images', {
    token: mallory.token,
    body: { imageBase64: (await solidImage(32, 32)).toString('base64'), title: 'Plain', describe: false },
  });
  expect(added.status).toBe(202);
  imageId = added.json.imageId;
});
afterAll(async () => {
  await stack?.stop();
});

// U+202E turns "invoice‮fdp.exe" into what reads as "invoiceexe.pdf"; U+200B hides inside a name.
const override = 'invoice\u202Efdp.exe';
const zeroWidth = 'ad\u200Bmin';

describe('text shown under someone’s name refuses hidden and direction-changing characters', () => {
  it.each([
    [
      'a display name at sign-up',
      'POST',
      '/api/auth/signup',
      { email: 'eve@example.com', password: 'Correct-Horse-9', displayName: zeroWidth },
      'displayName',
    ],
    ['a display name', 'PATCH', '/api/me', { displayName: override }, 'displayName'],
    ['a bio', 'PATCH', '/api/me', { bio: `hello ${override}` }, 'bio'],
    ['a character name', 'POST', '/api/characters', { name: zeroWidth, generatePortrait: false }, 'name'],
    [
      'a character attribute',
      'POST',
      '/api/characters',
      { name: 'Mira', clothing: override, generatePortrait: false },
      'clothing',
    ],
    ['an image title', 'PATCH', '/api/images/{imageId}', { title: override }, 'title'],
    ['a comment', 'POST', '/api/images/{imageId}/comments', { text: `nice ${override}` }, 'text'],
  ] as const)(
    'refuses %s with 400 VALIDATION_FAILED naming the field, changing nothing',
    async (_case, method, path, body, field) => {
      const answer = await api.call(method, path.replace('{imageId}', imageId), {
        token: mallory.token,
        body,
      });
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe('VALIDATION_FAILED');
      expect(answer.json.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
      expect(answer.json.error.message).not.toContain('\u202E');
    },
  );

  it('changed nothing: the profile, the characters, the image and its comments are as they were', async () => {
    const me = await api.call('GET', '/api/me', { token: mallory.token });
    expect(me.json.displayName).toBe('mallory');
    expect((await api.call('GET', '/api/characters', { token: mallory.token })).json.items).toEqual([]);
    const image = await api.call('GET', `/api/images/${imageId}`, { token: mallory.token });
    expect(image.json.title).toBe('Plain');
    expect(image.json.commentCount).toBe(0);
    // No account was made: not even an unconfirmed one (that would answer USER_NOT_CONFIRMED).
    const login = await api.call('POST', '/api/auth/login', {
      body: { email: 'eve@example.com', password: 'Correct-Horse-9' },
    });
    expect(login.json.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('still takes every script and emoji', async () => {
    const renamed = await api.call('PATCH', '/api/me', {
      token: mallory.token,
      body: { displayName: 'Мэллори مالوری 👩\u200D💻' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.displayName).toBe('Мэллори مالوری 👩\u200D💻');
  });

  it('lets a prompt keep them: what a model reads is the writer’s business', async () => {
    const answer = await api.call('POST', '/api/generations', {
      token: mallory.token,
      body: { prompt: 'a light\u200Bhouse at \u202Edusk' },
    });
    expect(answer.status).toBe(202);
  });
});
