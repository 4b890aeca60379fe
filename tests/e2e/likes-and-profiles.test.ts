import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { apiClient, logIn, password } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * Someone likes what they find, keeps it on their Liked page, follows the maker's name to
 * their profile and downloads what they like; the maker downloads a private image of theirs.
 * The scene is set through the API: Mo shares two of three images, Lee comes to look.
 */
const studio = useStudio();
const prompt = 'a paper lantern festival over a river';
let makerId = '';
let shared: string[] = [];
let hidden = '';
let visitor: BrowserContext;
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;

beforeAll(async () => {
  const api = apiClient(studio.stack.url);
  const token = await api.account('mo@example.com', 'Mo Maker');
  await api.call('PATCH', '/api/me', { token, body: { bio: 'Lanterns, rivers and long evenings.' } });
  makerId = (await api.call<{ userId: string }>('GET', '/api/me', { token })).userId;
  const made = await api.generate(token, { prompt, n: 3 });
  shared = made.slice(0, 2);
  hidden = made[2]!;
  for (const imageId of shared) await api.call('POST', `/api/images/${imageId}/share`, { token });
  await api.account('lee@example.com', 'Lee Liker');

  visitor = await studio.browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  page = await visitor.newPage();
  browserConsole = watchConsole(page);
});
afterAll(async () => {
  await visitor?.close();
});

const cardOf = (imageId: string) =>
  page.locator('li.image-card').filter({
    has: page.locator(`a.image-card-link[href="/images/${imageId}"]`),
  });
const lightbox = () => page.getByRole('dialog');
const likeIn = (scope: ReturnType<Page['locator']>) => scope.getByRole('button', { name: /^Like/ });
const likeAnswer = (imageId: string, method: string) =>
  page.waitForResponse(
    (response) =>
      new URL(response.url()).pathname === `/api/images/${imageId}/like` &&
      response.request().method() === method,
  );

describe('likes, the Liked page, profiles and downloads', () => {
  it('sends someone logged out to log in from a like, and back to where they were', async () => {
    await page.goto(`${studio.stack.url}/`);
    await cardOf(shared[0]!).waitFor();
    expect(await likeIn(cardOf(shared[0]!)).getAttribute('aria-pressed')).toBe('false');
    await likeIn(cardOf(shared[0]!)).click();
    await page.waitForURL(`${studio.stack.url}/login?next=%2F`);
    await page.getByLabel('E-mail').fill('lee@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${studio.stack.url}/`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  });

  it('likes from the lightbox at once, and the like and its count stay after a reload', async () => {
    const [first] = shared;
    await page.locator(`a.image-card-link[href="/images/${first}"]`).click();
    await lightbox().waitFor();
    const button = likeIn(lightbox());
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    expect(await button.locator('.like-count').textContent()).toBe('0');
    const answer = likeAnswer(first!, 'POST');
    await button.click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    expect(await button.locator('.like-count').textContent()).toBe('1');
    // The card under the lightbox says so too.
    expect(await likeIn(cardOf(first!)).getAttribute('aria-pressed')).toBe('true');
    await screenshots(page, 'lightbox-liked');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.reload();
    const kept = likeIn(page.locator('article.image-detail'));
    await kept.waitFor();
    expect(await kept.getAttribute('aria-pressed')).toBe('true');
    expect(await kept.locator('.like-count').textContent()).toBe('1');

    await page.getByRole('link', { name: 'Liked', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Liked' }).waitFor();
    await cardOf(first!).waitFor();
    expect(await page.locator('li.image-card').count()).toBe(1);
    await screenshots(page, 'liked');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('puts a like back as it was when the API refuses it, and says why', async () => {
    const second = shared[1]!;
    browserConsole.allow(new RegExp(`/api/images/${second}/like$`));
    await page.route(`**/api/images/${second}/like`, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'UPSTREAM_UNAVAILABLE', message: 'Likes are resting for a moment' },
          requestId: 'test',
        }),
      }),
    );
    await page.goto(`${studio.stack.url}/images/${second}`);
    const button = likeIn(page.locator('article.image-detail'));
    await button.waitFor();
    await button.click();
    await page.getByRole('alert').filter({ hasText: 'Likes are resting for a moment.' }).waitFor();
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    expect(await button.locator('.like-count').textContent()).toBe('0');
    await page.unroute(`**/api/images/${second}/like`);
  });

  it('unlikes from the image page, and the Liked page forgets the image', async () => {
    const [first] = shared;
    await page.goto(`${studio.stack.url}/images/${first}`);
    const button = likeIn(page.locator('article.image-detail'));
    await button.waitFor();
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    const answer = likeAnswer(first!, 'DELETE');
    await button.click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
    expect(await button.locator('.like-count').textContent()).toBe('0');
    await page.goto(`${studio.stack.url}/likes`);
    await page.getByText('Nothing yet.').waitFor();
  });

  it('links the maker’s name to a profile that lists only their public images', async () => {
    await page.goto(`${studio.stack.url}/`);
    await page.locator(`a.image-card-link[href="/images/${shared[0]}"]`).click();
    await lightbox().getByRole('link', { name: 'Mo Maker' }).click();
    await page.waitForURL(`${studio.stack.url}/users/${makerId}`);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('heading', { level: 1, name: 'Mo Maker' }).waitFor();
    await page.getByText('Lanterns, rivers and long evenings.').waitFor();
    expect(await page.locator('.profile-header .meta').textContent()).toMatch(/^2 public images · joined /);
    await expect.poll(() => page.locator('li.image-card').count()).toBe(2);
    const hrefs = await page
      .locator('a.image-card-link')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(new Set(hrefs)).toEqual(new Set(shared.map((imageId) => `/images/${imageId}`)));
    expect(hrefs).not.toContain(`/images/${hidden}`);
    await screenshots(page, 'profile');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Theme').selectOption('dark');
    await screenshots(page, 'profile-dark');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Theme').selectOption('system');

    // Back goes to the gallery, not to the lightbox's address.
    await page.goBack();
    await page.waitForURL(`${studio.stack.url}/`);
    await page.getByRole('heading', { name: 'Public gallery' }).waitFor();
  });

  it('downloads a shared image under its prompt as the file name', async () => {
    await page.goto(`${studio.stack.url}/images/${shared[0]}`);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download' }).click();
    expect((await download).suggestedFilename()).toBe(`${prompt}.png`);
  });

  it('lets the maker download a private image of theirs', async () => {
    const maker = await studio.browser.newContext({ acceptDownloads: true });
    const makerPage = await maker.newPage();
    const makerConsole = watchConsole(makerPage);
    await logIn(makerPage, studio.stack.url, 'mo@example.com');
    await makerPage.goto(`${studio.stack.url}/images/${hidden}`);
    const download = makerPage.waitForEvent('download');
    await makerPage.getByRole('button', { name: 'Download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.png$/);
    expect(makerConsole.problems).toEqual([]);
    await maker.close();
  });

  it('logged no console error and threw no exception', () => {
    expect(browserConsole.problems).toEqual([]);
  });
});
