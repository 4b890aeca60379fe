import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { apiClient } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * The public gallery loads a page at a time as it is scrolled. The scene (more shared
 * images than one page holds) is set through the API, which is quicker than the pages.
 */
const studio = useStudio();
const pageSize = 24;
const generations = 7;
const shared = generations * 4;
let context: BrowserContext;
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;
const galleryRequests: URL[] = [];

beforeAll(async () => {
  const api = apiClient(studio.stack.url);
  const token = await api.account('harbour@example.com', 'Hal Harbour');
  const made = await Promise.all(
    Array.from({ length: generations }, (_, index) =>
      api.generate(token, { prompt: `boats in a harbour, study ${index + 1}`, n: 4 }),
    ),
  );
  for (const imageId of made.flat()) await api.call('POST', `/api/images/${imageId}/share`, { token });

  context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  browserConsole = watchConsole(page);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/gallery') galleryRequests.push(url);
  });
});
afterAll(async () => {
  await context?.close();
});

const cards = () => page.locator('ul.image-grid > li.image-card');

describe('the public gallery, scrolled', () => {
  it('shows the first page only, until the end of it is scrolled into reach', async () => {
    expect(shared).toBeGreaterThan(pageSize);
    const first = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/gallery');
    await page.goto(`${studio.stack.url}/`);
    const answer = (await (await first).json()) as { items: unknown[]; nextCursor: string | null };
    expect(answer.items).toHaveLength(pageSize);
    expect(answer.nextCursor).toBeTruthy();
    await expect.poll(() => cards().count()).toBe(pageSize);
    await page.waitForLoadState('networkidle');
    expect(galleryRequests).toHaveLength(1);
    expect(galleryRequests[0]!.searchParams.get('cursor')).toBeNull();
    expect(await cards().count()).toBe(pageSize);
    await page.getByRole('button', { name: 'Load more images' }).waitFor();
    await screenshots(page, 'gallery-full');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const second = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/gallery' &&
        new URL(response.url()).searchParams.has('cursor'),
    );
    await page.mouse.move(640, 400);
    for (let step = 0; step < 40 && galleryRequests.length < 2; step += 1) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(50);
    }
    expect((await second).status()).toBe(200);
    expect(galleryRequests).toHaveLength(2);
    expect(galleryRequests[1]!.searchParams.get('cursor')).toBe(answer.nextCursor);
    await expect.poll(() => cards().count()).toBe(shared);
    await page.waitForLoadState('networkidle');
    // The last page says there is no more: nothing else is asked for, and no button offers more.
    expect(galleryRequests).toHaveLength(2);
    expect(await page.getByRole('button', { name: 'Load more images' }).count()).toBe(0);
    const hrefs = await cards()
      .locator('a.image-card-link')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(new Set(hrefs).size).toBe(shared);
  });

  it('logged no console error and threw no exception', () => {
    expect(browserConsole.problems).toEqual([]);
  });
});
