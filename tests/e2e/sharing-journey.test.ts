import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { apiClient, logIn, signUpAndLogIn } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * An image goes public and gathers a comment: its maker shares it, a visitor finds it in
 * the gallery and by search, another person comments, the maker reads and removes the
 * comment, then stops sharing. Two browser contexts, one per person; the tests run in order.
 */
const studio = useStudio();
let maker: BrowserContext;
let makerPage: Page;
let makerConsole: ReturnType<typeof watchConsole>;
let visitor: BrowserContext;
let visitorPage: Page;
let visitorConsole: ReturnType<typeof watchConsole>;
let imageId = '';
const prompt = 'A Copper Lighthouse by the Café on stormy cliffs';
const commentText = 'The light on the waves is lovely.';

type Picture = { naturalWidth: number };

beforeAll(async () => {
  maker = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  makerPage = await maker.newPage();
  makerConsole = watchConsole(makerPage);
  visitor = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  visitorPage = await visitor.newPage();
  visitorConsole = watchConsole(visitorPage);
});
afterAll(async () => {
  await maker?.close();
  await visitor?.close();
});

const galleryCards = (page: Page) => page.locator('ul.image-grid > li.image-card');
const cardOf = (page: Page) => page.locator(`a.image-card-link[href="/images/${imageId}"]`);

describe('an image is shared, found, commented on and unshared', () => {
  it('generates an image with a style and shares it in the gallery', async () => {
    await signUpAndLogIn(makerPage, studio.stack.url, 'maker@example.com', 'Mira Maker');
    await makerPage.getByRole('radio', { name: /Oil painting/i }).check();
    await makerPage.getByRole('textbox', { name: /^Prompt/ }).fill(prompt);
    await makerPage.getByRole('button', { name: 'Generate', exact: true }).click();
    const results = makerPage.getByRole('region', { name: /Your new image/ });
    await results.waitFor({ timeout: 60_000 });
    await results.getByRole('link').first().click();
    await makerPage.waitForURL(/\/images\/[0-9A-Z]+$/);
    imageId = new URL(makerPage.url()).pathname.split('/').pop()!;
    expect(await makerPage.locator('dl.facts').textContent()).toContain('Oil painting');
    await expect
      .poll(() =>
        makerPage.locator('.image-frame img').evaluate((image) => (image as unknown as Picture).naturalWidth),
      )
      .toBeGreaterThan(0);

    await makerPage.getByText('Only you can see this image.').waitFor();
    await makerPage.getByRole('button', { name: 'Share in the gallery' }).click();
    await makerPage.getByText('This image is in the public gallery.').waitFor();
    await makerPage.getByRole('button', { name: 'Stop sharing' }).waitFor();

    await makerPage.getByRole('link', { name: 'Gallery', exact: true }).click();
    await cardOf(makerPage).waitFor();
    await screenshots(makerPage, 'gallery');
    expect(await seriousAccessibilityViolations(makerPage)).toEqual([]);
    // A card opens the image over the gallery; its own page is a link away.
    await cardOf(makerPage).click();
    await makerPage
      .getByRole('dialog')
      .getByRole('link', { name: /^Open the image’s page/ })
      .click();
    await makerPage.getByRole('button', { name: 'Stop sharing' }).waitFor();
  });

  it('shows the shared image in the public gallery to someone logged out, from its public address', async () => {
    await visitorPage.goto(`${studio.stack.url}/`);
    await visitorPage.getByRole('heading', { name: 'Public gallery' }).waitFor();
    await cardOf(visitorPage).waitFor();
    expect(await galleryCards(visitorPage).count()).toBe(1);
    const thumbnail = cardOf(visitorPage).locator('img');
    expect(await thumbnail.getAttribute('alt')).toContain(prompt);
    expect(new URL((await thumbnail.getAttribute('src'))!).pathname).toMatch(/^\/img\//);
    await expect
      .poll(() => thumbnail.evaluate((image) => (image as unknown as Picture).naturalWidth))
      .toBeGreaterThan(0);
    expect(await cardOf(visitorPage).locator('..').locator('.meta').textContent()).toContain('Mira Maker');
  });

  it('finds the image by words of its prompt, in any letter case and with or without accents, and not by a word it lacks', async () => {
    const search = async (words: string) => {
      await visitorPage.getByLabel('Search the gallery').fill(words);
      await visitorPage.getByRole('button', { name: 'Search' }).click();
      await visitorPage.waitForURL((url) => url.searchParams.get('q') === words);
      await visitorPage.getByRole('status').filter({ hasText: words }).waitFor();
    };
    // Case- and accent-insensitive, every word must match.
    for (const words of ['copper', 'LIGHTHOUSE', 'Stormy Cliffs', 'cafe', 'CAFÉ']) {
      await search(words);
      await cardOf(visitorPage).waitFor();
      expect(await visitorPage.getByRole('status').filter({ hasText: words }).textContent()).toBe(
        `Images matching “${words}”: 1.`,
      );
    }
    for (const words of ['copper submarine', 'submarine']) {
      await search(words);
      expect(await visitorPage.getByRole('status').filter({ hasText: words }).textContent()).toBe(
        `No shared image matches “${words}”.`,
      );
    }
    expect(await galleryCards(visitorPage).count()).toBe(0);
    await search('copper');
    await cardOf(visitorPage).waitFor();
    await screenshots(visitorPage, 'gallery-search');
    expect(await seriousAccessibilityViolations(visitorPage)).toEqual([]);
  });

  it('lets a logged-out visitor open the image but asks them to log in to comment', async () => {
    await cardOf(visitorPage).click();
    await visitorPage.waitForURL(`${studio.stack.url}/images/${imageId}`);
    await visitorPage
      .getByRole('dialog')
      .getByRole('link', { name: /^Open the image’s page/ })
      .click();
    await visitorPage.getByRole('heading', { name: 'Comments (0)' }).waitFor();
    expect(await visitorPage.locator('.comments').textContent()).toContain('Log in to comment.');
    expect(await visitorPage.getByRole('button', { name: 'Stop sharing' }).count()).toBe(0);
  });

  it('lets a second person comment on the shared image', async () => {
    await apiClient(studio.stack.url).account('visitor@example.com', 'Vic Visitor');
    await logIn(visitorPage, studio.stack.url, 'visitor@example.com');
    await visitorPage.goto(`${studio.stack.url}/images/${imageId}`);
    await visitorPage.getByRole('heading', { name: 'Comments (0)' }).waitFor();
    await visitorPage.getByRole('textbox', { name: /^Add a comment/ }).fill('The light on the waves');
    await visitorPage.getByRole('button', { name: 'Post the comment' }).click();
    await visitorPage.getByRole('heading', { name: 'Comments (1)' }).waitFor();
    const comment = visitorPage.locator('.comment-list .comment');
    expect(await comment.count()).toBe(1);
    expect(await comment.locator('.meta').textContent()).toContain('Vic Visitor');
    expect(await comment.locator('.comment-text').textContent()).toBe('The light on the waves');
    // Not theirs to manage: no owner actions, but their own comment is theirs to edit.
    expect(await visitorPage.getByRole('heading', { name: 'Manage' }).count()).toBe(0);
    await comment.getByRole('button', { name: 'Edit' }).click();
    await comment.getByRole('textbox', { name: /^Your comment/ }).fill(commentText);
    await comment.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => comment.locator('.comment-text').textContent()).toBe(commentText);
    expect(await comment.locator('.meta').textContent()).toContain('edited');
  });

  it('shows the comment to the image’s maker, who can delete it', async () => {
    await makerPage.reload();
    await makerPage.getByRole('heading', { name: 'Comments (1)' }).waitFor();
    const comment = makerPage.locator('.comment-list .comment');
    expect(await comment.locator('.comment-text').textContent()).toBe(commentText);
    expect(await comment.locator('.meta').textContent()).toContain('Vic Visitor');
    // The maker may delete it but not edit it.
    expect(await comment.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await screenshots(makerPage, 'image-detail-comments');
    expect(await seriousAccessibilityViolations(makerPage)).toEqual([]);

    await comment.getByRole('button', { name: 'Delete' }).click();
    const dialog = makerPage.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete the comment' }).click();
    await makerPage.getByRole('heading', { name: 'Comments (0)' }).waitFor();
    expect(await comment.count()).toBe(0);

    // It is gone for good, not only from the page.
    await makerPage.reload();
    await makerPage.getByRole('heading', { name: 'Comments (0)' }).waitFor();
    await makerPage.getByText('No comments yet.').waitFor();
  });

  it('removes the image from the gallery and its search when the maker stops sharing', async () => {
    await makerPage.getByRole('button', { name: 'Stop sharing' }).click();
    await makerPage.getByText('Only you can see this image.').waitFor();

    // The maker, whose browser has the gallery from a moment ago, sees it without the image at once.
    await makerPage.getByRole('link', { name: 'Gallery', exact: true }).click();
    await makerPage.getByText('Nobody has shared an image yet.').waitFor();
    await makerPage.getByLabel('Search the gallery').fill('copper');
    await makerPage.getByRole('button', { name: 'Search' }).click();
    await makerPage.getByRole('status').filter({ hasText: 'No shared image matches “copper”.' }).waitFor();

    // Someone logged out finds it neither in the gallery nor by search.
    const stranger = await studio.browser.newContext();
    const strangerPage = await stranger.newPage();
    const strangerConsole = watchConsole(strangerPage);
    await strangerPage.goto(`${studio.stack.url}/`);
    await strangerPage.getByText('Nobody has shared an image yet.').waitFor();
    await strangerPage.goto(`${studio.stack.url}/?q=copper`);
    await strangerPage.getByRole('status').filter({ hasText: 'No shared image matches “copper”.' }).waitFor();
    await stranger.close();
    expect(strangerConsole.problems).toEqual([]);

    // And the person who commented can no longer open it.
    visitorConsole.allow(new RegExp(`/api/images/${imageId}$`));
    await visitorPage.goto(`${studio.stack.url}/images/${imageId}`);
    await expect.poll(() => visitorPage.getByRole('alert').first().textContent()).toContain('No such image.');
  });

  it('logged no console error and threw no exception in either browser', () => {
    expect(makerConsole.problems).toEqual([]);
    expect(visitorConsole.problems).toEqual([]);
  });
});
