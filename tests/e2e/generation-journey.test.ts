import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { signUpAndLogIn } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * One person's way through the studio, in order: the tests share a page, as a person
 * keeps one tab open.
 */
// A small daily quota, so that the test can reach it.
const studio = useStudio({ QUOTA_PER_DAY: '3' });
let context: BrowserContext;
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;
const accessTokens = new Set<string>();

// Evaluated in the page: the tests' own type check has no DOM library.
const everythingStored = 'JSON.stringify({ ...localStorage, ...sessionStorage })';
const refreshCookie = async () => (await context.cookies()).find((cookie) => cookie.name === 'easel_refresh');
type Picture = { naturalWidth: number };
let imagePath = '';

beforeAll(async () => {
  context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  browserConsole = watchConsole(page);
  page.on('request', (request) => {
    const token = /^Bearer (.+)$/.exec(request.headers().authorization ?? '')?.[1];
    if (token) accessTokens.add(token);
  });
});
afterAll(async () => {
  await context?.close();
});

describe('a person makes images in a real browser', () => {
  it('signs up, confirms the e-mailed code and logs in', async () => {
    await signUpAndLogIn(page, studio.stack.url, 'painter@example.com', 'Ada Painter');
    expect(await page.getByRole('link', { name: 'Ada Painter' }).isVisible()).toBe(true);
    // The refresh token is where no script reaches it: an HttpOnly cookie for the auth routes only.
    const cookie = await refreshCookie();
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' });
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + 24 * 60 * 60);
    expect(await page.evaluate(everythingStored)).not.toContain(cookie!.value);
    expect(await page.evaluate('document.cookie')).not.toContain(cookie!.value);
  });

  it('generates with a chosen style, watches the progress live, then sees the images', async () => {
    await page.getByRole('heading', { level: 1, name: 'Generate' }).waitFor();
    await page.getByRole('radio', { name: /Watercolour/ }).check();
    await page.getByRole('textbox', { name: /^Prompt/ }).fill('a lighthouse at dusk [fake:slow=1500]');
    await page.getByLabel('How many').selectOption('2');
    await screenshots(page, 'generate-form');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();

    await page.waitForURL(/\/generate\?job=/);
    const status = page.locator('.job-status');
    await expect.poll(() => status.textContent()).toMatch(/Waiting for a worker|at work/);
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('Done.');
    const results = page.getByRole('region', { name: 'Your new images' });
    await results.waitFor();
    const images = results.getByRole('img');
    await expect.poll(() => images.count()).toBe(2);
    expect(await images.first().getAttribute('alt')).toContain('a lighthouse at dusk');
    // The thumbnails come from the image store's origin, which the CSP must allow.
    await expect
      .poll(() =>
        images.evaluateAll((all) => all.every((image) => (image as unknown as Picture).naturalWidth > 0)),
      )
      .toBe(true);
    await screenshots(page, 'generate-done');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('opens an image to see its prompt, style and comments', async () => {
    await page.getByRole('region', { name: 'Your new images' }).getByRole('link').first().click();
    await page.waitForURL(/\/images\/[0-9A-Z]+$/);
    imagePath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'a lighthouse at dusk [fake:slow=1500]' }).waitFor();
    const facts = page.locator('dl.facts');
    expect(await facts.textContent()).toContain('a lighthouse at dusk');
    expect(await facts.textContent()).toContain('Watercolour');
    await page.getByRole('heading', { name: 'Comments (0)' }).waitFor();
    await expect
      .poll(() =>
        page.locator('.image-frame img').evaluate((image) => (image as unknown as Picture).naturalWidth),
      )
      .toBeGreaterThan(0);
    await screenshots(page, 'image-detail');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('says in plain words when the provider refuses the prompt', async () => {
    await page.getByRole('link', { name: 'Generate', exact: true }).click();
    await page.getByRole('textbox', { name: /^Prompt/ }).fill('a castle under siege [fake:moderation]');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const alert = page.locator('.job-progress [role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toContain('The image provider refused this request');
    expect(await alert.textContent()).toContain('do not count against your quota');
    await screenshots(page, 'generate-refused');
  });

  it('shows the API’s complaint about an empty prompt next to the prompt', async () => {
    browserConsole.allow(/\/api\/generations$/);
    await page.getByRole('textbox', { name: /^Prompt/ }).fill('   ');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const prompt = page.getByRole('textbox', { name: /^Prompt/ });
    await expect.poll(() => prompt.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await prompt.getAttribute('aria-describedby')) ?? '';
    const fieldError = page.locator('.field-invalid .field-error');
    expect(await fieldError.textContent()).toBe('Must not be empty.');
    expect(describedBy.split(' ')).toContain(await fieldError.getAttribute('id'));
    expect(await page.locator('form [role="alert"]').first().textContent()).toContain('beside the fields');
    await screenshots(page, 'generate-invalid');
  });

  it('says how many images are left today, and when the quota resets, where the person looks', async () => {
    await page.getByRole('textbox', { name: /^Prompt/ }).fill('two more lighthouses');
    await page.getByLabel('How many').selectOption('2');
    // Scrolled down to the button, as someone who has just read the form is.
    await page.getByRole('button', { name: 'Generate', exact: true }).scrollIntoViewIfNeeded();
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const alert = page.locator('form [role="alert"]').first();
    await expect
      .poll(() => alert.textContent())
      .toContain('You asked for 2 images, but only 1 of your 3 for today is left. Ask for one');
    expect(await alert.textContent()).toMatch(
      /You can make images again in (\d+ hours? ?)?(\d+ minutes?)? \(at \d\d:\d\d/,
    );
    await expect
      .poll(() => alert.evaluate((element) => element === element.ownerDocument.activeElement))
      .toBe(true);
    const box = await alert.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    await screenshots(page, 'generate-quota');
  });

  it('keeps the session across a reload by renewing the access token', async () => {
    const renewed = page.waitForResponse((response) => response.url().endsWith('/api/auth/refresh'));
    await page.reload();
    expect((await renewed).status()).toBe(200);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Generate' }).waitFor();
  });

  it('opens every other page with no failed request and no uncaught error', async () => {
    for (const [path, heading, name] of [
      ['/mine', 'My images', 'my-images'],
      ['/upload', 'Upload an image', 'upload'],
      ['/characters', 'Characters', 'characters'],
      ['/characters/new', 'New character', 'character-new'],
      ['/account', 'Your account', 'account'],
      [`${imagePath}/edit`, 'Edit an image', 'edit-image'],
    ] as const) {
      await page.goto(`${studio.stack.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      await screenshots(page, name);
      expect(await seriousAccessibilityViolations(page), path).toEqual([]);
    }
  });

  it('logs out: the page forgets the session and the API refuses the old token', async () => {
    expect(accessTokens.size).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    expect(await refreshCookie()).toBeUndefined();

    await page.reload();
    await page.getByRole('heading', { name: 'Make images with words' }).waitFor();
    await page.goto(`${studio.stack.url}/generate`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();

    for (const token of accessTokens) {
      const answer = await fetch(`${studio.stack.url}/api/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(401);
    }
  });

  it('logged no console error and threw no exception on any page', () => {
    expect(browserConsole.problems).toEqual([]);
  });
});
