import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { useStudio } from './support/studio.ts';

const studio = useStudio();
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;

beforeEach(async () => {
  page = await studio.browser.newPage();
  browserConsole = watchConsole(page);
});
afterEach(async () => {
  await page.close();
  expect(browserConsole.problems).toEqual([]);
});

describe('the gallery for someone logged out', () => {
  it('loads from the local stack under its Content-Security-Policy, with sign-up and log-in offered', async () => {
    await page.goto(`${studio.stack.url}/`);
    await expect.poll(() => page.title()).toBe('Easel');
    await page.getByRole('heading', { name: 'Make images with words' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('*;');
    await page.getByRole('heading', { name: 'Public gallery' }).waitFor();
    await screenshots(page, 'home');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('serves each page of the app from its own path, and an unknown one as not found', async () => {
    for (const [path, heading] of [
      ['/signup', 'Sign up'],
      ['/login', 'Log in'],
      ['/forgot-password', 'Forgot your password'],
      ['/reset-password?email=ada%40example.com', 'Set a new password'],
      ['/confirm?email=ada%40example.com', 'Confirm your e-mail'],
      ['/no/such/page', 'Page not found'],
    ] as const) {
      await page.goto(`${studio.stack.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(await seriousAccessibilityViolations(page), path).toEqual([]);
    }
    await page.goto(`${studio.stack.url}/signup`);
    await screenshots(page, 'sign-up');
    await page.goto(`${studio.stack.url}/login`);
    await screenshots(page, 'log-in');
  });

  it('asks to log in before a page that needs an account', async () => {
    await page.goto(`${studio.stack.url}/generate`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.getByRole('status').first().textContent()).toContain('Log in to go on');
  });

  it('explains a wrong password in plain words next to the form', async () => {
    browserConsole.allow(/\/api\/auth\/login/);
    await page.goto(`${studio.stack.url}/login`);
    await page.getByLabel('E-mail').fill('nobody@example.com');
    await page.getByLabel('Password').fill('Wrong-Password-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('The e-mail or password is not right.');
  });
});
