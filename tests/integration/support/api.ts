import { latestCode } from '../../../scripts/local-runtime/mailbox.ts';
import type { Json } from '../../support/json.ts';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Json;
}

/** A small client for the API under test: JSON (or a multipart form) in, JSON out, an optional bearer token. */
export function apiClient(baseUrl: string) {
  async function call(
    method: string,
    path: string,
    options: { body?: unknown; form?: FormData; token?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      // fetch sets the multipart content-type, boundary included, for a FormData body.
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  }

  /** A new, confirmed, logged-in user: its access token and id. */
  async function newUser(email: string, password = 'Correct-Horse-9') {
    const signUp = await call('POST', '/api/auth/signup', {
      body: { email, password, displayName: email.split('@')[0] },
    });
    if (signUp.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(signUp.json)}`);
    const code = await latestCode(baseUrl, email, 'signup');
    const confirm = await call('POST', '/api/auth/confirm', { body: { email, code } });
    if (confirm.status !== 204) throw new Error(`confirmation failed: ${JSON.stringify(confirm.json)}`);
    const login = await call('POST', '/api/auth/login', { body: { email, password } });
    return { userId: signUp.json.userId as string, token: login.json.accessToken as string };
  }

  /** Polls a job until it has finished. */
  async function waitForJob(jobId: string, token: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await call('GET', `/api/jobs/${jobId}`, { token });
      if (job.json?.status === 'SUCCEEDED' || job.json?.status === 'FAILED') return job.json;
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish: ${JSON.stringify(job.json)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Polls a character until its portrait has settled (READY or FAILED). The portrait job is
   * done a moment before the character is told of its new portrait, so a test that needs the
   * character's portrait waits for the character, not the job.
   */
  async function waitForPortrait(characterId: string, token: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const character = (await call('GET', `/api/characters/${characterId}`, { token })).json;
      if (character?.portraitStatus === 'READY' || character?.portraitStatus === 'FAILED') return character;
      if (Date.now() > deadline)
        throw new Error(`portrait of ${characterId} did not settle: ${JSON.stringify(character)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return { call, newUser, waitForJob, waitForPortrait };
}
