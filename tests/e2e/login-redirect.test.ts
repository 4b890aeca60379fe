import type { Page } from 'playwright-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { watchConsole } from './support/browser.ts';
import { apiClient, password } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

const studio = useStudio();
const email = 'mallory-target@example.com';
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;
let offSite: string[];

beforeAll(async () => {
  await apiClient(studio.stack.url).account(email, 'Target');
});
beforeEach(async () => {
  page = await studio.browser.newPage();
  browserConsole = watchConsole(page);
  offSite = [];
  // Every request the page makes to another origin: an open redirect shows up here first.
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== new URL(studio.stack.url).origin) offSite.push(request.url());
  });
});
afterEach(async () => {
  await page.close();
  expect(browserConsole.problems).toEqual([]);
});

async function logInFrom(loginUrl: string) {
  await page.goto(loginUrl);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

describe('the page after logging in', () => {
  it('goes on to the page named by next= when it is on this site', async () => {
    await logInFrom(`${studio.stack.url}/login?next=${encodeURIComponent('/images?kind=generated')}`);
    await page.waitForURL(`${studio.stack.url}/images?kind=generated`);
    expect(offSite).toEqual([]);
  });

  for (const next of [
    '/%5C127.0.0.1:9/pwned',
    '/%09/127.0.0.1:9/pwned',
    '%2F%2F127.0.0.1:9/pwned',
    'http://127.0.0.1:9/pwned',
    '/.//127.0.0.1:9/pwned',
  ]) {
    it(`stays on the site when next=${next}`, async () => {
      await logInFrom(`${studio.stack.url}/login?next=${next}`);
      await page.waitForURL(`${studio.stack.url}/`);
      expect(offSite).toEqual([]);
    });
  }
});
