import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumWithProfile, watchConsole } from './support/browser.ts';
import { apiClient, logIn, password } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * A session is the browser's, not one tab's: the refresh token is in an HttpOnly cookie, so
 * new tabs and a restarted browser stay logged in, and logging out anywhere ends it everywhere.
 */
const studio = useStudio();
const email = 'tabs@example.com';
let profileDir = '';
let context: BrowserContext | undefined;
const consoles: ReturnType<typeof watchConsole>[] = [];

async function openPage(at: string): Promise<Page> {
  const page = await context!.newPage();
  const watched = watchConsole(page);
  // Calls refused once the session is over (401) are what these tests provoke.
  watched.allow(/\/api\//);
  consoles.push(watched);
  await page.goto(`${studio.stack.url}${at}`);
  return page;
}

const loggedIn = (page: Page) => page.getByRole('button', { name: 'Log out' }).waitFor();

beforeAll(async () => {
  await apiClient(studio.stack.url).account(email, 'Tab Keeper');
  profileDir = await mkdtemp(path.join(tmpdir(), 'easel-profile-'));
  context = await launchChromiumWithProfile(profileDir);
});
afterAll(async () => {
  await context?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
  expect(consoles.flatMap((watched) => watched.problems)).toEqual([]);
});

describe('a session across tabs and restarts', () => {
  it('keeps a second tab logged in', async () => {
    const first = await openPage('/');
    await logIn(first, studio.stack.url, email);
    const second = await openPage('/generate');
    await loggedIn(second);
    await second.getByRole('heading', { level: 1, name: 'Generate' }).waitFor();
  });

  it('keeps the browser logged in after it is closed and opened again', async () => {
    await context!.close();
    context = await launchChromiumWithProfile(profileDir);
    const page = await openPage('/mine');
    await loggedIn(page);
    await page.getByRole('heading', { level: 1, name: 'My images' }).waitFor();
  });

  it('ends the session in every tab when one logs out', async () => {
    const staying = await openPage('/generate');
    await loggedIn(staying);
    const leaving = await openPage('/');
    await loggedIn(leaving);
    await leaving.getByRole('button', { name: 'Log out' }).click();
    await leaving.getByRole('link', { name: 'Log in' }).first().waitFor();
    await staying.getByRole('link', { name: 'Log in' }).first().waitFor();
    expect(await staying.getByRole('button', { name: 'Log out' }).count()).toBe(0);
    const fresh = await openPage('/generate');
    await fresh.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  });

  it('keeps the prompt, style and settings typed when the session ends and the person logs in again', async () => {
    const page = await openPage('/');
    await logIn(page, studio.stack.url, email);
    await page.goto(`${studio.stack.url}/generate`);
    await page.getByRole('radio', { name: /Watercolour/ }).check();
    await page.getByRole('textbox', { name: /^Prompt/ }).fill('a draft worth keeping: foxes in the snow');
    await page.getByLabel('How many').selectOption('3');

    // The session ends elsewhere: the same person signs out everywhere from another client.
    const api = apiClient(studio.stack.url);
    const tokens = await api.call<{ accessToken: string }>('POST', '/api/auth/login', {
      body: { email, password },
    });
    await api.call('POST', '/api/auth/logout', { token: tokens.accessToken, expect: 204 });

    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('session has ended');
    await page.getByLabel('Password').fill(password);
    const emailField = page.getByLabel('E-mail');
    if (!(await emailField.inputValue())) await emailField.fill(email);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/generate$/);
    const prompt = page.getByRole('textbox', { name: /^Prompt/ });
    await expect.poll(() => prompt.inputValue()).toBe('a draft worth keeping: foxes in the snow');
    expect(await page.getByRole('radio', { name: /Watercolour/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('How many').inputValue()).toBe('3');
  });
});
