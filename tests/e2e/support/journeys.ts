import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const password = 'Correct-Horse-9';

/** Signs up through the pages, confirms with a code (the emulator takes any) and logs in. */
export async function signUpAndLogIn(page: Page, baseUrl: string, email: string, displayName: string) {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/confirm\?email=/);
  await page.getByLabel('Code').fill('123456');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await page.waitForURL(/\/login\?/);
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('confirmed');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/generate$/);
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}
