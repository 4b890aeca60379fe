import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { startTestStack } from '../integration/support/stack.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: RunningLocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the web page in a real browser', () => {
  it('loads from the local stack and shows the API as up', async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${stack.url}/`);
    await expect.poll(() => page.textContent('#api-status')).toBe('up');
    expect(await page.title()).toBe('Easel');
    expect(failures).toEqual([]);
    await page.close();
  });
});
