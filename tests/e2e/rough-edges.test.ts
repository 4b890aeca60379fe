import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchConsole } from './support/browser.ts';
import { apiClient, logIn } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * What a newcomer met in the gallery: one person with a few images made through the API,
 * looked at through the pages.
 */
const studio = useStudio();
let context: BrowserContext;
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;
let token = '';
const email = 'newcomer@example.com';
const prompt = 'a quiet harbour with red boats at dawn';
let generatedId = '';

beforeAll(async () => {
  const api = apiClient(studio.stack.url);
  token = await api.account(email, 'New Comer');
  generatedId = (await api.generate(token, { prompt }))[0]!;
  context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  browserConsole = watchConsole(page);
  await logIn(page, studio.stack.url, email);
});
afterAll(async () => {
  await context?.close();
  expect(browserConsole.problems).toEqual([]);
});

describe('the gallery’s rough edges, smoothed', () => {
  it('titles a generated image by its prompt on its page as on its card', async () => {
    await page.goto(`${studio.stack.url}/mine`);
    const card = page.locator('.image-card-caption').first();
    await expect.poll(() => card.textContent()).toBe(prompt);
    await page.goto(`${studio.stack.url}/images/${generatedId}`);
    await page.getByRole('heading', { level: 1, name: prompt }).waitFor();
    expect(await page.title()).toContain(prompt);
  });

  it('shows the filter of an address opened directly in the Show menu', async () => {
    await page.goto(`${studio.stack.url}/mine?kind=uploaded`);
    const show = page.getByLabel('Show');
    await expect.poll(() => show.inputValue()).toBe('uploaded');
    expect(await show.locator('option:checked').textContent()).toBe('Uploaded');
  });

  it('titles a portrait with its character’s name, not the prompt sent to the model', async () => {
    const api = apiClient(studio.stack.url);
    const created = await api.call<{ characterId: string }>('POST', '/api/characters', {
      token,
      body: { name: 'Mira Okafor', eyeColor: 'Hazel' },
      expect: 201,
    });
    await expect
      .poll(
        async () =>
          (
            await api.call<{ portraitStatus: string }>('GET', `/api/characters/${created.characterId}`, {
              token,
            })
          ).portraitStatus,
        { timeout: 60_000 },
      )
      .toBe('READY');
    await page.goto(`${studio.stack.url}/mine?kind=portrait`);
    const card = page.locator('.image-card-caption').first();
    await expect.poll(() => card.textContent()).toBe('Mira Okafor');
    await page.locator('a.image-card-link').first().click();
    await page.getByRole('dialog').getByRole('heading', { level: 2, name: 'Mira Okafor' }).waitFor();
    await page
      .getByRole('dialog')
      .getByRole('link', { name: /^Open the image’s page/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Mira Okafor' }).waitFor();
    expect(await page.locator('h1').textContent()).not.toContain('portrait image');
  });

  it('refuses a prompt over the limit in words beside it, without cutting it, and folds a long one on the image page', async () => {
    browserConsole.allow(/\/api\/generations$/);
    await page.goto(`${studio.stack.url}/generate`);
    const field = page.getByRole('textbox', { name: /^Prompt/ });
    await field.fill('lighthouse '.repeat(455));
    expect((await field.inputValue()).length).toBe(5005);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-invalid .field-error').textContent()).toBe(
      'Use at most 4,000 characters.',
    );
    expect((await field.inputValue()).length).toBe(5005);

    const [longId] = await apiClient(studio.stack.url).generate(token, { prompt: 'harbour '.repeat(490) });
    await page.goto(`${studio.stack.url}/images/${longId}`);
    const more = page.getByRole('button', { name: /^Show all of the prompt \(3,920 characters\)/ });
    await more.waitFor();
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThan(2000);
    await more.click();
    await expect.poll(() => page.locator('dd.prompt').textContent()).toContain('harbour '.repeat(480).trim());
  });

  it('gives a comment’s Edit and Delete buttons the same size', async () => {
    await page.goto(`${studio.stack.url}/images/${generatedId}`);
    await page.getByRole('textbox', { name: /^Add a comment/ }).fill('Lovely boats');
    await page.getByRole('button', { name: 'Post the comment' }).click();
    const edit = page.locator('.comment-list').getByRole('button', { name: 'Edit', exact: true });
    const remove = page.locator('.comment-list').getByRole('button', { name: 'Delete', exact: true });
    await edit.first().waitFor();
    const [a, b] = [await edit.first().boundingBox(), await remove.first().boundingBox()];
    expect(a!.height).toBe(b!.height);
    expect(await edit.first().getAttribute('class')).toBe(
      (await remove.first().getAttribute('class'))?.replace('danger', 'secondary'),
    );
  });

  it('refuses a text file named .png before sending it, saying why, and keeps a file’s name as given', async () => {
    await page.goto(`${studio.stack.url}/upload`);
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('just some text\n'),
    });
    const alert = page.getByRole('alert').first();
    await expect.poll(() => alert.textContent()).toContain('notes.png is not a PNG, JPEG or WebP image');
    expect(await page.getByRole('img', { name: /Preview of/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Upload and describe' }).count()).toBe(0);

    const jpegStart = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    await input.setInputFiles({
      name: 'huge.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.concat([jpegStart, Buffer.alloc(24 * 1024 * 1024)]),
    });
    await expect.poll(() => alert.textContent()).toMatch(/^huge\.jpg is 24/);
  });

  it('says why an upload was refused, and offers only to delete it', async () => {
    const api = apiClient(studio.stack.url);
    const text = Buffer.from('not an image at all, whatever the name says\n');
    const ticket = await api.call<{ imageId: string; url: string; fields: Record<string, string> }>(
      'POST',
      '/api/uploads',
      {
        token,
        body: { contentType: 'image/png', contentLength: text.length, purpose: 'describe' },
        expect: 201,
      },
    );
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
    form.append('file', new Blob([text], { type: 'image/png' }), 'notes.png');
    expect((await fetch(ticket.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    await expect
      .poll(
        async () =>
          (await api.call<{ status: string }>('GET', `/api/images/${ticket.imageId}`, { token })).status,
        { timeout: 60_000 },
      )
      .toBe('FAILED');

    await page.goto(`${studio.stack.url}/mine?kind=uploaded`);
    await expect.poll(() => page.locator('.image-card-caption').first().textContent()).toBe('Refused upload');
    await page.goto(`${studio.stack.url}/images/${ticket.imageId}`);
    await page.getByRole('heading', { level: 1, name: 'Refused upload' }).waitFor();
    expect(await page.locator('.image-frame').textContent()).toMatch(/^This upload was refused: \S/);
    expect(await page.getByRole('button', { name: 'Share in the gallery' }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: /^Add a comment/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete the image' }).click();
    await page.waitForURL(/\/mine$/);
  });

  it('explains a refused password by the rule it breaks, in plain words', async () => {
    browserConsole.allow(/\/api\/auth\/signup/);
    const fresh = await context.newPage();
    await fresh.goto(`${studio.stack.url}/signup`);
    await fresh.getByLabel('E-mail').fill('weak@example.com');
    await fresh.getByLabel('Password').fill('lowercase-only-9');
    await fresh.getByRole('button', { name: 'Sign up' }).click();
    await expect
      .poll(() => fresh.locator('.field-invalid .field-error').first().textContent())
      .toBe(
        'Choose a password of at least 8 characters, with a lowercase letter, an uppercase letter and a digit.',
      );
    await fresh.close();
  });
});
