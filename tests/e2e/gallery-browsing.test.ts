import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { apiClient, logIn } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * Browsing the gallery as someone who comes back to it: cards at their images' shapes, a
 * lightbox walked with the keyboard across pages, "Use these settings", Ctrl+Enter, the
 * order and style in the address, and a dark theme that is remembered. The scene (more
 * shared images than one page holds, in three shapes) is set through the API.
 */
const studio = useStudio();
const pageSize = 24;
const fox = {
  prompt: 'a red fox asleep in deep snow',
  style: 'anime',
  size: '1024x1536',
  quality: 'high',
  negativePrompt: 'no text, no frames',
};
let foxId = '';
let context: BrowserContext;
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;
const galleryRequests: URL[] = [];

interface Listed {
  imageId: string;
  width: number;
  height: number;
  title?: string;
  prompt?: string;
}

beforeAll(async () => {
  const api = apiClient(studio.stack.url);
  const token = await api.account('pia@example.com', 'Pia Painter');
  foxId = (await api.generate(token, { ...fox, n: 1 }))[0]!;
  const made = await Promise.all(
    Array.from({ length: 7 }, (_, index) =>
      api.generate(token, {
        prompt: `boats in a harbour, study ${index + 1}`,
        size: ['1024x1024', '1536x1024', '1024x1536'][index % 3],
        n: 4,
      }),
    ),
  );
  for (const imageId of [foxId, ...made.flat()])
    await api.call('POST', `/api/images/${imageId}/share`, { token });

  context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  browserConsole = watchConsole(page);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/gallery') galleryRequests.push(url);
  });
  await logIn(page, studio.stack.url, 'pia@example.com');
});
afterAll(async () => {
  await context?.close();
});

const cards = () => page.locator('ul.image-grid > li.image-card');
const cardLink = (imageId: string) => page.locator(`a.image-card-link[href="/images/${imageId}"]`);
const lightbox = () => page.getByRole('dialog');
// Strings, not functions: this file's type check has no DOM.
const focusedHref = () => page.evaluate("document.activeElement?.getAttribute('href') ?? null");
const theme = () => page.evaluate('document.documentElement.dataset.theme ?? null');
const background = () => page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
const pathOf = () => new URL(page.url()).pathname + new URL(page.url()).search;

async function openGallery(): Promise<Listed[]> {
  // Only an answer to a request the new page makes: one the last page still had on the way
  // arrives during the navigation, and its body is gone with that page.
  const since = Date.now();
  const first = page.waitForResponse(
    (response) =>
      new URL(response.url()).pathname === '/api/gallery' && response.request().timing().startTime >= since,
  );
  await page.goto(`${studio.stack.url}/`);
  const answer = (await (await first).json()) as { items: Listed[] };
  await expect.poll(() => cards().count()).toBe(pageSize);
  return answer.items;
}

describe('the gallery, browsed', () => {
  let listed: Listed[] = [];

  it('shows each card at its image’s shape, in rows of one height, with the box reserved before the image loads', async () => {
    listed = await openGallery();
    expect(listed).toHaveLength(pageSize);
    const boxes = (await page.evaluate(
      `[...document.querySelectorAll('ul.image-grid > li.image-card .image-box')].map((element) => {
        const box = element.getBoundingClientRect();
        return { top: Math.round(box.top), width: box.width, height: box.height };
      })`,
    )) as { top: number; width: number; height: number }[];
    const shapes = new Set<string>();
    for (const [index, image] of listed.entries()) {
      const box = boxes[index]!;
      shapes.add((image.width / image.height).toFixed(2));
      expect(box.height).toBeGreaterThan(50);
      expect(box.width / box.height).toBeCloseTo(image.width / image.height, 1);
    }
    expect(shapes.size).toBeGreaterThanOrEqual(3);
    // A row's pictures share one height.
    const rows = new Map<number, typeof boxes>();
    for (const box of boxes) rows.set(box.top, [...(rows.get(box.top) ?? []), box]);
    expect(rows.size).toBeGreaterThan(1);
    for (const row of rows.values()) {
      const heights = row.map((box) => box.height);
      expect(Math.max(...heights) - Math.min(...heights)).toBeLessThan(1.5);
    }
    // The box does not wait for the picture: its size comes from the record.
    const images = cards().locator('img');
    expect(await images.first().getAttribute('width')).toBe(String(listed[0]!.width));
    expect(await images.first().getAttribute('height')).toBe(String(listed[0]!.height));
  });

  it('opens a card in a lightbox over the gallery, moves with → and ←, keeps the focus inside and gives it back on Escape', async () => {
    const [first, second] = listed;
    await cardLink(first!.imageId).click();
    await lightbox().waitFor();
    expect(pathOf()).toBe(`/images/${first!.imageId}`);
    expect(await page.getByRole('heading', { name: 'Public gallery' }).count()).toBe(1);
    // Images of one generation share a title: the picture tells them apart.
    const picture = () => lightbox().locator('figure img').getAttribute('src');
    const firstPicture = await picture();
    expect(await lightbox().getByRole('link', { name: 'Pia Painter' }).getAttribute('href')).toMatch(
      /^\/users\//,
    );
    expect(await lightbox().getByRole('button', { name: /^Like/ }).getAttribute('aria-pressed')).toBe(
      'false',
    );

    await page.keyboard.press('ArrowRight');
    await page.waitForURL(`${studio.stack.url}/images/${second!.imageId}`);
    await expect.poll(picture).not.toBe(firstPicture);
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`${studio.stack.url}/images/${first!.imageId}`);
    await expect.poll(picture).toBe(firstPicture);

    // Tab and Shift+Tab cycle through the lightbox only.
    for (const key of [...Array(14).fill('Tab'), ...Array(6).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      expect(await page.evaluate("!!document.activeElement?.closest('dialog[open]')"), key).toBe(true);
    }
    await screenshots(page, 'lightbox');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await lightbox().waitFor({ state: 'detached' });
    expect(pathOf()).toBe('/');
    expect(await focusedHref()).toBe(`/images/${first!.imageId}`);
    expect(galleryRequests).toHaveLength(1);
  });

  it('fetches the next page when → goes past the last image loaded', async () => {
    // From the first card, so that no scrolling of the grid fetches the next page first.
    await page.evaluate('window.scrollTo(0, 0)');
    await cardLink(listed[0]!.imageId).click();
    await lightbox().waitFor();
    for (const image of listed.slice(1)) {
      await page.keyboard.press('ArrowRight');
      await page.waitForURL(`${studio.stack.url}/images/${image.imageId}`);
    }
    expect(galleryRequests).toHaveLength(1);
    const next = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/gallery' &&
        new URL(response.url()).searchParams.has('cursor'),
    );
    await page.keyboard.press('ArrowRight');
    const answer = (await (await next).json()) as { items: Listed[] };
    const following = answer.items[0]!;
    await page.waitForURL(`${studio.stack.url}/images/${following.imageId}`);
    await expect.poll(() => cards().count()).toBe(pageSize + answer.items.length);
    await page.keyboard.press('Escape');
    await lightbox().waitFor({ state: 'detached' });
    expect(await focusedHref()).toBe(`/images/${following.imageId}`);
  });

  it('opens the image’s own page when the lightbox’s address is reloaded or shared', async () => {
    const image = listed[2]!;
    await cardLink(image.imageId).click();
    await lightbox().waitFor();
    await page.reload();
    await page.locator('article.image-detail').waitFor();
    expect(pathOf()).toBe(`/images/${image.imageId}`);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // Back goes to the gallery, where the lightbox was opened.
    await page.goBack();
    await page.getByRole('heading', { name: 'Public gallery' }).waitFor();
  });

  it('fills Generate with an image’s prompt, style, size, quality and words to leave out', async () => {
    await page.goto(`${studio.stack.url}/?q=fox`);
    await cardLink(foxId).click();
    await lightbox().getByRole('link', { name: 'Use these settings' }).click();
    await page.waitForURL(/\/generate\?/);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByRole('textbox', { name: /^Prompt/ }).inputValue()).toBe(fox.prompt);
    expect(await page.getByRole('radio', { name: /Anime/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Size').inputValue()).toBe(fox.size);
    expect(await page.getByLabel('Quality').inputValue()).toBe(fox.quality);
    expect(await page.getByRole('textbox', { name: 'Leave out' }).inputValue()).toBe(fox.negativePrompt);
    await screenshots(page, 'generate-remix');
  });

  it('sends the Generate form with Ctrl+Enter from the prompt', async () => {
    const prompt = page.getByRole('textbox', { name: /^Prompt/ });
    await prompt.fill('a grey fox asleep in deep snow');
    await prompt.press('Control+Enter');
    await page.waitForURL(/\/generate\?job=/);
    await page.getByRole('region', { name: /Your new image/ }).waitFor({ timeout: 60_000 });
  });

  it('keeps the order, the period and the style in the address, and restores them from it', async () => {
    await openGallery();
    galleryRequests.length = 0;
    await page.getByRole('radio', { name: 'Popular' }).check();
    await page.waitForURL(`${studio.stack.url}/?sort=popular&period=week`);
    await page.getByRole('radio', { name: 'Today' }).check();
    await page.waitForURL(`${studio.stack.url}/?sort=popular&period=day`);
    await page.getByRole('navigation', { name: 'Styles' }).getByRole('link', { name: 'Anime' }).click();
    await page.waitForURL(`${studio.stack.url}/?sort=popular&period=day&style=anime`);
    await expect
      .poll(() => galleryRequests.map((url) => Object.fromEntries(url.searchParams)))
      .toContainEqual({ sort: 'popular', period: 'day', style: 'anime', limit: '24' });
    await cardLink(foxId).waitFor();

    await page.reload();
    await page.getByRole('radio', { name: 'Popular' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Popular' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Today' }).isChecked()).toBe(true);
    expect(
      await page
        .getByRole('navigation', { name: 'Styles' })
        .getByRole('link', { name: 'Anime' })
        .getAttribute('aria-current'),
    ).toBe('page');
    await screenshots(page, 'gallery-popular-style');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('radio', { name: 'Newest' }).check();
    await page.waitForURL(`${studio.stack.url}/?style=anime`);
    expect(await page.getByRole('radio', { name: 'Today' }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Styles' }).getByRole('link', { name: 'All styles' }).click();
    await page.waitForURL(`${studio.stack.url}/`);
  });

  it('switches to dark, remembers it after a reload, and follows the system when asked to', async () => {
    await openGallery();
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.getByLabel('Theme').selectOption('dark');
    // The switch applies the theme in an effect, after the change event: wait for it.
    await expect.poll(theme).toBe('dark');
    const dark = await background();
    expect(dark).not.toBe(light);

    await page.reload({ waitUntil: 'domcontentloaded' });
    // Set by /theme.js in the head, before the app runs: no light frame first.
    expect(await theme()).toBe('dark');
    // The stylesheet may still be on its way at DOMContentLoaded (a busy machine): its colours
    // are read once it has loaded.
    await page.waitForLoadState('load');
    expect(await background()).toBe(dark);
    await expect.poll(() => page.getByLabel('Theme').inputValue()).toBe('dark');
    await expect.poll(() => cards().count()).toBe(pageSize);
    await screenshots(page, 'gallery-dark');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await cardLink(listed[0]!.imageId).click();
    await lightbox().waitFor();
    await screenshots(page, 'lightbox-dark');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await lightbox().waitFor({ state: 'detached' });

    await page.getByLabel('Theme').selectOption('system');
    // Read once the choice has been applied, as above.
    await expect.poll(theme).toBeNull();
    expect(await page.evaluate("localStorage.getItem('easel.theme')")).toBeNull();
    expect(await background()).toBe(light);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe(dark);
    await page.reload();
    await expect.poll(background).toBe(dark);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(background).toBe(light);
  });

  it('logged no console error and threw no exception', () => {
    expect(browserConsole.problems).toEqual([]);
  });
});
