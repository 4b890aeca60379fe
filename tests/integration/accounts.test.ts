import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mail } from '../../scripts/local-runtime/mailbox.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import type { Json } from '../support/json.ts';
import { decodeClaims, signedToken } from './support/cognito.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startTestStack({ pollQueues: false });
});
afterAll(async () => {
  await stack?.stop();
});

async function call(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as Json };
}

const password = 'Correct-Horse-9';

/** What the local mailbox holds for one address, newest first. */
async function mailTo(email: string): Promise<Mail[]> {
  const response = await fetch(`${stack.url}/__local/mail?to=${encodeURIComponent(email)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Mail[] }).items;
}

async function codeFor(email: string, kind: Mail['kind']): Promise<string> {
  const mail = (await mailTo(email)).find((item) => item.kind === kind);
  if (!mail) throw new Error(`no ${kind} mail to ${email}`);
  return mail.code;
}

/** A code of six digits that is not `code`. */
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function confirmedUser(email: string) {
  expect((await call('POST', '/api/auth/signup', { email, password })).status).toBe(201);
  const code = await codeFor(email, 'signup');
  expect((await call('POST', '/api/auth/confirm', { email, code })).status).toBe(204);
}

describe('the account journey', () => {
  const email = 'ada.lovelace@example.com';
  let tokens: Json;

  it('signs up, is refused login until confirmed, then logs in', async () => {
    const signUp = await call('POST', '/api/auth/signup', { email, password, displayName: 'Ada' });
    expect(signUp.status).toBe(201);
    expect(signUp.json).toEqual({ userId: expect.any(String), confirmed: false });

    const early = await call('POST', '/api/auth/login', { email, password });
    expect(early.status).toBe(401);
    expect(early.json.error.code).toBe('USER_NOT_CONFIRMED');

    const mail = await mailTo(email);
    expect(mail).toEqual([
      {
        to: email,
        kind: 'signup',
        code: expect.stringMatching(/^\d{6}$/),
        sentAt: expect.stringMatching(/Z$/),
      },
    ]);
    const wrong = await call('POST', '/api/auth/confirm', { email, code: otherThan(mail[0]!.code) });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe('CODE_MISMATCH');
    expect((await call('POST', '/api/auth/login', { email, password })).json.error.code).toBe(
      'USER_NOT_CONFIRMED',
    );

    expect((await call('POST', '/api/auth/confirm', { email, code: mail[0]!.code })).status).toBe(204);

    const login = await call('POST', '/api/auth/login', { email: email.toUpperCase(), password });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    tokens = login.json;
    expect(decodeClaims(tokens.accessToken).sub).toBe(signUp.json.userId);
  });

  it('reads and changes the profile, created on first use with the display name', async () => {
    const me = await call('GET', '/api/me', undefined, tokens.accessToken);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      email,
      displayName: 'Ada',
      usage: { imagesToday: 0, quotaPerDay: 50 },
      createdAt: expect.stringMatching(/Z$/),
    });
    const patched = await call(
      'PATCH',
      '/api/me',
      { displayName: 'Countess', bio: 'Notes on\nengines' },
      tokens.accessToken,
    );
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ displayName: 'Countess', bio: 'Notes on\nengines' });
    const bad = await call('PATCH', '/api/me', { displayName: 'x'.repeat(81) }, tokens.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('displayName');
  });

  it('refreshes, and the refreshed access token works', async () => {
    const refreshed = await call('POST', '/api/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refreshToken).toBeUndefined();
    expect((await call('GET', '/api/me', undefined, refreshed.json.accessToken)).status).toBe(200);
    tokens = { ...tokens, refreshedAccessToken: refreshed.json.accessToken };
  });

  it('logs out everywhere: the old access tokens and the refresh token are refused', async () => {
    expect((await call('POST', '/api/auth/logout', undefined, tokens.accessToken)).status).toBe(204);
    for (const token of [tokens.accessToken, tokens.refreshedAccessToken]) {
      const me = await call('GET', '/api/me', undefined, token);
      expect(me.status).toBe(401);
      expect(me.json.error.code).toBe('UNAUTHENTICATED');
    }
    const refresh = await call('POST', '/api/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refresh.status).toBe(401);
  });

  it('logs in again right after signing out, with a token that works, time after time', async () => {
    // Each login follows the sign-out at once, so most of them fall in the second it happened.
    let previous: string | undefined;
    for (let round = 0; round < 3; round += 1) {
      const login = await call('POST', '/api/auth/login', { email, password });
      expect(login.status).toBe(200);
      const me = await call('GET', '/api/me', undefined, login.json.accessToken);
      expect(me.status, `round ${round}: ${JSON.stringify(me.json)}`).toBe(200);
      if (previous) expect((await call('GET', '/api/me', undefined, previous)).status).toBe(401);
      expect((await call('POST', '/api/auth/logout', undefined, login.json.accessToken)).status).toBe(204);
      expect((await call('GET', '/api/me', undefined, login.json.accessToken)).status).toBe(401);
      previous = login.json.accessToken;
    }
  });
});

describe('the web gallery’s session cookie', () => {
  const email = 'cookie.keeper@example.com';
  const post = (path: string, init: { body?: unknown; cookie?: string; token?: string } = {}) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: JSON.stringify(init.body ?? {}),
    });

  it('is set at login, renews without a body, and is cleared at logout, after which it renews nothing', async () => {
    await confirmedUser(email);
    const login = await post('/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    const tokens = (await login.json()) as { refreshToken: string };
    const [setCookie] = login.headers.getSetCookie();
    expect(setCookie).toBe(
      `easel_refresh=${tokens.refreshToken}; Max-Age=2592000; Path=/api/auth; HttpOnly; Secure; SameSite=Strict`,
    );
    const cookie = setCookie!.split(';')[0]!;

    const renewed = await post('/api/auth/refresh', { cookie });
    expect(renewed.status).toBe(200);
    const { accessToken } = (await renewed.json()) as { accessToken: string };
    expect(renewed.headers.getSetCookie()[0]).toMatch(/^easel_refresh=.+; Max-Age=2592000; /);
    expect((await call('GET', '/api/me', undefined, accessToken)).status).toBe(200);

    const noSession = await post('/api/auth/refresh');
    expect(noSession.status).toBe(401);
    expect(((await noSession.json()) as Json).error.code).toBe('UNAUTHENTICATED');

    const logout = await post('/api/auth/logout', { token: accessToken });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()[0]).toMatch(
      /^easel_refresh=; Max-Age=0; Path=\/api\/auth; HttpOnly/,
    );
    expect((await post('/api/auth/refresh', { cookie })).status).toBe(401);
  });
});

describe('a password reset by someone who lost their password, or had it stolen', () => {
  const email = 'mary.jackson@example.com';
  const newPassword = 'Battery-Staple-7';

  it('ends every session: old access tokens and refresh tokens get 401, the new password works at once', async () => {
    await call('POST', '/api/auth/signup', { email, password });
    await call('POST', '/api/auth/confirm', { email, code: await codeFor(email, 'signup') });
    // The intruder's session, refreshed once, and the owner's own on another device.
    const intruder = (await call('POST', '/api/auth/login', { email, password })).json;
    const refreshed = (await call('POST', '/api/auth/refresh', { refreshToken: intruder.refreshToken })).json;
    const owner = (await call('POST', '/api/auth/login', { email, password })).json;
    for (const token of [intruder.accessToken, refreshed.accessToken, owner.accessToken]) {
      expect((await call('GET', '/api/me', undefined, token)).status).toBe(200);
    }

    expect((await call('POST', '/api/auth/password/forgot', { email })).status).toBe(204);
    const reset = await call('POST', '/api/auth/password/reset', {
      email,
      code: await codeFor(email, 'reset'),
      newPassword,
    });
    expect(reset.status).toBe(204);

    for (const token of [intruder.accessToken, refreshed.accessToken, owner.accessToken]) {
      const me = await call('GET', '/api/me', undefined, token);
      expect(me.status).toBe(401);
      expect(me.json.error.code).toBe('UNAUTHENTICATED');
    }
    for (const refreshToken of [intruder.refreshToken, owner.refreshToken]) {
      expect((await call('POST', '/api/auth/refresh', { refreshToken })).status).toBe(401);
    }
    expect((await call('POST', '/api/auth/login', { email, password })).status).toBe(401);
    const login = await call('POST', '/api/auth/login', { email, password: newPassword });
    expect(login.status).toBe(200);
    expect((await call('GET', '/api/me', undefined, login.json.accessToken)).status).toBe(200);
  });
});

describe('answers that reveal nothing', () => {
  const email = 'grace.hopper@example.com';

  beforeAll(async () => {
    await confirmedUser(email);
  });

  it('gives a wrong password and an unknown e-mail the same 401 body', async () => {
    const wrong = await call('POST', '/api/auth/login', { email, password: 'Wrong-Horse-9' });
    const unknown = await call('POST', '/api/auth/login', { email: 'nobody@example.com', password });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.error).toEqual(unknown.json.error);
    expect(wrong.json.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('answers a second sign-up with the same e-mail in other letter case with 409 USERNAME_EXISTS', async () => {
    const again = await call('POST', '/api/auth/signup', { email: 'Grace.Hopper@EXAMPLE.com', password });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('USERNAME_EXISTS');
  });

  it('rejects a weak password with Cognito’s rule', async () => {
    const weak = await call('POST', '/api/auth/signup', { email: 'weak@example.com', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.json.error.message).toMatch(/password/i);
  });

  it('answers forgot-password 204 for known and unknown e-mails alike, mailing only the known', async () => {
    expect((await call('POST', '/api/auth/password/forgot', { email })).status).toBe(204);
    expect((await call('POST', '/api/auth/password/forgot', { email: 'nobody@example.com' })).status).toBe(
      204,
    );
    expect((await mailTo(email))[0]).toMatchObject({ to: email, kind: 'reset' });
    expect(await mailTo('nobody@example.com')).toEqual([]);
  });

  it('refuses a reset to a password the pool’s policy refuses, naming the field', async () => {
    const code = await codeFor(email, 'reset');
    for (const [newPassword, rule] of [
      ['0', /This one is too short\.$/],
      ['battery-staple-7', /This one has no uppercase letter\.$/],
      ['Battery-Staple', /This one has no digit\.$/],
    ] as const) {
      const weak = await call('POST', '/api/auth/password/reset', { email, code, newPassword });
      expect(weak.status).toBe(400);
      expect(weak.json.error.code).toBe('VALIDATION_FAILED');
      expect(weak.json.error.details[0].field).toBe('newPassword');
      expect(weak.json.error.message).toMatch(/^Choose a password of at least 8 characters/);
      expect(weak.json.error.message).toMatch(rule);
    }
    expect((await call('POST', '/api/auth/login', { email, password })).status).toBe(200);
  });

  it('refuses a wrong reset code, and a reset for an unknown e-mail alike', async () => {
    const newPassword = 'Battery-Staple-7';
    const code = await codeFor(email, 'reset');
    const wrong = await call('POST', '/api/auth/password/reset', {
      email,
      code: otherThan(code),
      newPassword,
    });
    const unknown = await call('POST', '/api/auth/password/reset', {
      email: 'nobody@example.com',
      code,
      newPassword,
    });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe('CODE_MISMATCH');
    }
    expect(wrong.json.error).toEqual(unknown.json.error);
    expect((await call('POST', '/api/auth/login', { email, password: newPassword })).status).toBe(401);
  });

  it('resets the password with the mailed code: the old one fails, the new one works, the code is spent', async () => {
    const newPassword = 'Battery-Staple-7';
    const code = await codeFor(email, 'reset');
    expect((await call('POST', '/api/auth/password/reset', { email, code, newPassword })).status).toBe(204);
    expect((await call('POST', '/api/auth/login', { email, password })).status).toBe(401);
    expect((await call('POST', '/api/auth/login', { email, password: newPassword })).status).toBe(200);
    const again = await call('POST', '/api/auth/password/reset', { email, code, newPassword: password });
    expect(again.json.error.code).toBe('CODE_MISMATCH');
  });
});

describe('sign-up codes', () => {
  const email = 'katherine.johnson@example.com';

  it('sends a new code on resend: the old one stops working and the new one confirms', async () => {
    expect((await call('POST', '/api/auth/signup', { email, password })).status).toBe(201);
    const first = await codeFor(email, 'signup');
    expect((await call('POST', '/api/auth/resend-code', { email })).status).toBe(204);
    const mail = await mailTo(email);
    expect(mail).toHaveLength(2);
    const second = mail[0]!.code;
    // One chance in a million that a fresh code repeats the old one; then the old-code check means nothing.
    if (second !== first) {
      const old = await call('POST', '/api/auth/confirm', { email, code: first });
      expect(old.status).toBe(400);
      expect(old.json.error.code).toBe('CODE_MISMATCH');
    }
    expect((await call('POST', '/api/auth/confirm', { email, code: second })).status).toBe(204);
    expect((await call('POST', '/api/auth/login', { email, password })).status).toBe(200);
  });

  it('answers resend-code 204 for an unknown or already confirmed e-mail, and mails nothing', async () => {
    for (const address of ['nobody@example.com', email]) {
      const before = (await mailTo(address)).length;
      expect((await call('POST', '/api/auth/resend-code', { email: address })).status).toBe(204);
      expect(await mailTo(address)).toHaveLength(before);
    }
  });

  it('refuses a confirmation for an unknown e-mail as a wrong code', async () => {
    const unknown = await call('POST', '/api/auth/confirm', { email: 'nobody@example.com', code: '123456' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('CODE_MISMATCH');
  });
});

describe('tokens the authorizer refuses on a protected route', () => {
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    const email = 'alan.turing@example.com';
    await confirmedUser(email);
    const { accessToken } = (await call('POST', '/api/auth/login', { email, password })).json;
    // The profile exists from here on, so /api/me answers without asking Cognito about the token.
    expect((await call('GET', '/api/me', undefined, accessToken)).status).toBe(200);
    claims = decodeClaims(accessToken);
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'dummy' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url');
    const { createSign } = await import('node:crypto');
    const signature = createSign('RSA-SHA256')
      .update(`${header}.${payload}`)
      .sign(privateKey)
      .toString('base64url');
    expect((await call('GET', '/api/me', undefined, `${header}.${payload}.${signature}`)).status).toBe(401);
  });

  it('refuses an expired token, another pool’s client and an ID token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      signedToken({ ...claims, iat: now - 7200, exp: now - 3600 }),
      signedToken({ ...claims, client_id: 'another-pools-client', exp: now + 600 }),
      signedToken({
        ...claims,
        iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AnotherPool',
        exp: now + 600,
      }),
      signedToken({ ...claims, token_use: 'id', exp: now + 600 }),
    ];
    for (const token of refused) {
      const me = await call('GET', '/api/me', undefined, token);
      expect(me.status).toBe(401);
      expect(me.json.error.code).toBe('UNAUTHENTICATED');
    }
    expect((await call('GET', '/api/me', undefined, signedToken({ ...claims, exp: now + 600 }))).status).toBe(
      200,
    );
  });
});
