import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { authenticator } from '../support/totp.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ pollQueues: false });
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

const password = 'Correct-Horse-9';

/*
 * moto (the local Cognito) checks codes against one fixed secret for every user, with no
 * step of leeway and no memory of codes used; the secret it answers is that one. Each code
 * here is still of a step not used before, as Cognito requires.
 */
describe('an authenticator app as a second step of logging in', () => {
  const email = 'mfa.journey@example.com';
  let token: string;
  let app: ReturnType<typeof authenticator>;

  it('starts without MFA, and the set-up gives a secret and its otpauth URI', async () => {
    ({ token } = await api.newUser(email, password));
    expect((await api.call('GET', '/api/me', { token })).json.mfaEnabled).toBe(false);
    const setup = await api.call('POST', '/api/me/mfa/setup', { token });
    expect(setup.status).toBe(200);
    expect(setup.json.secret).toMatch(/^[A-Z2-7]+=*$/i);
    expect(setup.json.otpauthUri).toContain(`secret=${setup.json.secret}`);
    expect(setup.json.otpauthUri).toMatch(/^otpauth:\/\/totp\/Easel:mfa\.journey%40example\.com\?/);
    app = authenticator(setup.json.secret);
    // Set up but not verified: login is as before.
    const login = await api.call('POST', '/api/auth/login', { body: { email, password } });
    expect(login.json.accessToken).toEqual(expect.any(String));
  });

  it('refuses a wrong code with 400 CODE_MISMATCH and leaves MFA off', async () => {
    const wrong = await api.call('POST', '/api/me/mfa/verify', { token, body: { code: app.wrongCode() } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe('CODE_MISMATCH');
    expect((await api.call('GET', '/api/me', { token })).json.mfaEnabled).toBe(false);
  });

  it('turns MFA on with a right code', async () => {
    const verify = await api.call('POST', '/api/me/mfa/verify', { token, body: { code: await app.code() } });
    expect(verify.status).toBe(204);
    expect((await api.call('GET', '/api/me', { token })).json.mfaEnabled).toBe(true);
  });

  it('challenges the login: no token and no cookie until the code answers', async () => {
    const login = await api.call('POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.json).toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: expect.any(String) });
    expect(login.headers.get('set-cookie')).toBeNull();

    const wrong = await api.call('POST', '/api/auth/mfa', {
      body: { email, session: login.json.session, code: app.wrongCode() },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe('CODE_MISMATCH');
    expect(wrong.json.accessToken).toBeUndefined();
  });

  it('refuses a session that is not a live one with 401', async () => {
    const expired = await api.call('POST', '/api/auth/mfa', {
      body: { email, session: 'a-session-that-ended-long-ago', code: '123456' },
    });
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('SESSION_EXPIRED');
  });

  it('answers the right code with the usual tokens, which work', async () => {
    const login = await api.call('POST', '/api/auth/login', { body: { email, password } });
    const answer = await api.call('POST', '/api/auth/mfa', {
      body: { email, session: login.json.session, code: await app.code() },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    expect(answer.headers.get('set-cookie')).toMatch(/^easel_refresh=/);
    const me = await api.call('GET', '/api/me', { token: answer.json.accessToken });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ email, mfaEnabled: true });
    const refreshed = await api.call('POST', '/api/auth/refresh', {
      body: { refreshToken: answer.json.refreshToken },
    });
    expect(refreshed.json.accessToken).toEqual(expect.any(String));
    token = answer.json.accessToken;
  });

  it('turns MFA off: a wrong code changes nothing, then login is one step again', async () => {
    const wrong = await api.call('DELETE', '/api/me/mfa', { token, body: { code: app.wrongCode() } });
    expect(wrong.status).toBe(400);
    expect((await api.call('GET', '/api/me', { token })).json.mfaEnabled).toBe(true);
    const off = await api.call('DELETE', '/api/me/mfa', { token, body: { code: await app.code() } });
    expect(off.status).toBe(204);
    expect((await api.call('GET', '/api/me', { token })).json.mfaEnabled).toBe(false);
    const login = await api.call('POST', '/api/auth/login', { body: { email, password } });
    expect(login.json.accessToken).toEqual(expect.any(String));
    expect(login.json.challenge).toBeUndefined();
  });
});
