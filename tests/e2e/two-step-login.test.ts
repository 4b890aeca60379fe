import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticator } from '../support/totp.ts';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { apiClient, logIn, password } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

const studio = useStudio();
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;

beforeEach(async () => {
  page = await (await studio.browser.newContext()).newPage();
  browserConsole = watchConsole(page);
});
afterEach(async () => {
  await page.context().close();
  expect(browserConsole.problems).toEqual([]);
});

/*
 * moto (the local Cognito) answers every user the same secret and checks codes with no
 * leeway and no memory of used ones; each code here is of a step not used before all the same.
 */
describe('two-step login with an authenticator app', () => {
  const email = 'two-step@example.com';
  let app: ReturnType<typeof authenticator>;

  it('is turned on from the account page, which shows the key and its otpauth link as text', async () => {
    await apiClient(studio.stack.url).account(email, 'Two Step');
    await logIn(page, studio.stack.url, email);
    await page.goto(`${studio.stack.url}/account`);
    await page.getByRole('heading', { name: 'Two-step login' }).waitFor();
    await page.getByRole('button', { name: 'Set up two-step login' }).click();
    const key = (await page.locator('.mfa-setup dd code').first().textContent())!;
    expect(key).toMatch(/^[A-Z2-7]+=*$/i);
    expect(await page.locator('.mfa-setup dd code').nth(1).textContent()).toMatch(
      /^otpauth:\/\/totp\/Easel:/,
    );
    app = authenticator(key);

    browserConsole.allow(/\/api\/me\/mfa\/verify/);
    await page.getByLabel('Code from your authenticator app').fill(app.wrongCode());
    await page.getByRole('button', { name: 'Turn on two-step login' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not right');

    await page.getByLabel('Code from your authenticator app').fill(await app.code());
    await page.getByRole('button', { name: 'Turn on two-step login' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Two-step login is on');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('asks for the code after the password, refuses a wrong one in plain words, and logs in with the right one', async () => {
    browserConsole.allow(/\/api\/auth\/mfa/);
    await page.goto(`${studio.stack.url}/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    // No session yet: the password alone logs nobody in.
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
    await screenshots(page, 'log-in-code');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await code.fill(app.wrongCode());
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('6 digits your authenticator app shows');

    await code.fill(await app.code());
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/generate$/);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  });
});
