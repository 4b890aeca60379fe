import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routes } from '../../shared/http/routes.ts';
import { watchConsole } from './support/browser.ts';
import { useStudio } from './support/studio.ts';

const studio = useStudio();
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;
const requested: string[] = [];

beforeEach(async () => {
  page = await studio.browser.newPage();
  browserConsole = watchConsole(page);
  requested.length = 0;
  page.on('request', (request) => requested.push(request.url()));
});
afterEach(async () => {
  await page.close();
  expect(browserConsole.problems).toEqual([]);
});

describe('the API reference at /api/docs', () => {
  it('renders every operation from the OpenAPI document, under its policy, from Easel’s own origin only', async () => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${studio.stack.url}/api/docs`);
    await expect.poll(() => page.title()).toBe('Easel API reference');
    // Swagger UI shows each operation's summary beside its method and path.
    await page.getByText(routes.createGeneration.summary, { exact: true }).first().waitFor();
    await page.getByText(routes.getHealth.summary, { exact: true }).first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(30);

    // Opening an operation renders its details with the page's scripts and styles.
    await page.getByText(routes.getHealth.summary, { exact: true }).first().click();
    await page.locator('.opblock.is-open').first().waitFor();

    const origin = new URL(studio.stack.url).origin;
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([`${origin}/api-docs/swagger-ui-bundle.js`, `${origin}/api/openapi.json`]),
    );
    expect(violations).toEqual([]);
  });
});
