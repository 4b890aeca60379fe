import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { latestCode } from '../../../scripts/local-runtime/mailbox.ts';

export const password = 'Correct-Horse-9';

/** Signs up through the pages, confirms with the code from the local mailbox and logs in. */
export async function signUpAndLogIn(page: Page, baseUrl: string, email: string, displayName: string) {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/confirm\?email=/);
  await page.getByLabel('Code').fill(await latestCode(baseUrl, email, 'signup'));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await page.waitForURL(/\/login\?/);
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('confirmed');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/generate$/);
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Logs in through the page as someone who already has an account. */
export async function logIn(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/**
 * The API called straight from the test, to set the scene quickly (many images, another
 * person): `call` answers the parsed body and fails the test on an unexpected status.
 */
export function apiClient(baseUrl: string) {
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; expect?: number } = {},
  ): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const expected = options.expect ?? (response.ok ? response.status : 200);
    if (response.status !== expected)
      throw new Error(`${method} ${path}: expected ${expected}, got ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  /** Signs up, confirms with the code from the local mailbox and logs in; answers the access token. */
  const account = async (email: string, displayName: string): Promise<string> => {
    await call('POST', '/api/auth/signup', { body: { email, password, displayName }, expect: 201 });
    const code = await latestCode(baseUrl, email, 'signup');
    await call('POST', '/api/auth/confirm', { body: { email, code }, expect: 204 });
    const tokens = await call<{ accessToken: string }>('POST', '/api/auth/login', {
      body: { email, password },
    });
    return tokens.accessToken;
  };

  /** Generates and waits for the job; answers the new image ids. */
  const generate = async (token: string, body: Record<string, unknown>): Promise<string[]> => {
    const { jobId } = await call<{ jobId: string }>('POST', '/api/generations', {
      token,
      body,
      expect: 202,
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const job = await call<{ status: string; imageIds: string[]; error?: unknown }>(
        'GET',
        `/api/jobs/${jobId}`,
        { token },
      );
      if (job.status === 'SUCCEEDED') return job.imageIds;
      if (job.status === 'FAILED') throw new Error(`generation failed: ${JSON.stringify(job.error)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`generation ${jobId} did not finish in time`);
  };

  return { call, account, generate };
}
