import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchConsole } from './support/browser.ts';
import { apiClient, logIn, password } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/* Leaving: the account page deletes the account after asking, and the browser is logged out. */
const studio = useStudio();
const email = 'leaving@example.com';
let context: BrowserContext;
let page: Page;
let consoles: ReturnType<typeof watchConsole>;
let imageId: string;

beforeAll(async () => {
  const api = apiClient(studio.stack.url);
  const token = await api.account(email, 'Leaving Soon');
  [imageId = ''] = await api.generate(token, { prompt: 'A boat leaving the harbour', n: 1 });
  await api.call('POST', `/api/images/${imageId}/share`, { token });
  context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  consoles = watchConsole(page);
});
afterAll(async () => {
  await context?.close();
  expect(consoles.problems).toEqual([]);
});

describe('the account page', () => {
  it('copies a shared image’s /s/ link from its page', async () => {
    await logIn(page, studio.stack.url, email);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: studio.stack.url });
    await page.goto(`${studio.stack.url}/images/${imageId}`);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`/s/${imageId}`);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${studio.stack.url}/s/${imageId}`);
  });

  it('deletes the account only once confirmed, then logs out, and the e-mail can sign up again', async () => {
    await page.goto(`${studio.stack.url}/account`);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete your account and everything in it?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);

    const api = apiClient(studio.stack.url);
    await expect
      .poll(
        async () =>
          (
            await fetch(`${studio.stack.url}/api/auth/signup`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email, password }),
            })
          ).status,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(201);
    await api.call('GET', `/api/images/${imageId}`, { expect: 404 });
  });
});
