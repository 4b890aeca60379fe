import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, seriousAccessibilityViolations, watchConsole } from './support/browser.ts';
import { signUpAndLogIn } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

/*
 * The rest of the studio, in one person's tab: a character and its portrait, an uploaded
 * photo and its description, then an edit of that photo with a painted mask.
 */
const studio = useStudio();
let context: BrowserContext;
let page: Page;
let browserConsole: ReturnType<typeof watchConsole>;
let uploadedPath = '';
let editedPath = '';

type Picture = { naturalWidth: number };
const loaded = (selector: ReturnType<Page['locator']>) =>
  expect
    .poll(() => selector.evaluate((image) => (image as unknown as Picture).naturalWidth))
    .toBeGreaterThan(0);

// Source of the upload and the edit: small, and not square, so that the mask's size is telling.
const width = 320;
const height = 240;

beforeAll(async () => {
  context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  browserConsole = watchConsole(page);
});
afterAll(async () => {
  await context?.close();
});

describe('characters, uploads and edits in a real browser', () => {
  it('creates a character with a few attributes and watches its portrait get painted', async () => {
    await signUpAndLogIn(page, studio.stack.url, 'writer@example.com', 'Wren Writer');
    await page.getByRole('link', { name: 'Characters', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Characters' }).waitFor();
    await page.getByText('No characters yet.').waitFor();
    await page.getByRole('link', { name: 'New character' }).click();
    await page.getByRole('heading', { level: 1, name: 'New character' }).waitFor();
    await page.getByLabel('Name').fill('Captain Ilse Varga');
    await page.getByLabel('Age').fill('42');
    await page.getByLabel('Gender').fill('Female');
    await page.getByLabel('Eye colour').fill('Hazel');
    await page.getByLabel('Hair style').fill('Curly');
    await page.getByLabel('Art style').fill('Concept Art');
    await screenshots(page, 'character-new');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create the character' }).click();

    await page.waitForURL(/\/characters\/[0-9A-Z]+$/);
    await page.getByRole('heading', { level: 1, name: 'Captain Ilse Varga' }).waitFor();
    const portrait = page.getByRole('region', { name: 'Portrait' });
    const picture = portrait.getByRole('img', { name: 'Portrait of Captain Ilse Varga' });
    await picture.waitFor({ timeout: 60_000 });
    await loaded(picture);
    expect(await page.getByLabel('Eye colour').inputValue()).toBe('Hazel');
    expect(await page.getByLabel('Age').inputValue()).toBe('42');
    await screenshots(page, 'character-detail');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('lists the character with its portrait, and counts it in the stats', async () => {
    await page.getByRole('link', { name: 'All characters' }).click();
    await page.getByRole('heading', { level: 1, name: 'Characters' }).waitFor();
    const stats = page.getByRole('region', { name: 'At a glance' });
    await expect.poll(() => stats.textContent()).toContain('1 character, 1 with a portrait.');
    expect(await stats.textContent()).toContain('Latest: Captain Ilse Varga.');
    expect(await stats.getByRole('list').first().textContent()).toBe('Female: 1');
    const card = page.locator('ul.image-grid > li.image-card');
    // The list and the stats arrive separately.
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain('42 years · Female');
    await loaded(card.getByRole('img', { name: 'Portrait of Captain Ilse Varga' }));
    await screenshots(page, 'characters');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('uploads a PNG from the file picker and shows the description written for it', async () => {
    const png = await sharp({
      create: { width, height, channels: 3, background: { r: 30, g: 110, b: 200 } },
    })
      .png()
      .toBuffer();
    await page.getByRole('link', { name: 'Upload', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Upload an image' }).waitFor();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'sea.png', mimeType: 'image/png', buffer: png });
    await loaded(page.getByRole('img', { name: 'Preview of sea.png' }));
    await page.getByRole('button', { name: 'Upload and describe' }).click();

    const result = page.getByRole('region', { name: 'Your upload' });
    const description = result.locator('.description');
    await description.waitFor({ timeout: 60_000 });
    const written = (await description.textContent()) ?? '';
    expect(written.trim().length).toBeGreaterThan(0);
    await screenshots(page, 'upload');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await result.getByRole('link', { name: 'Open the image' }).click();
    await page.waitForURL(/\/images\/[0-9A-Z]+$/);
    uploadedPath = new URL(page.url()).pathname;
    expect(await page.locator('p.description').textContent()).toBe(written);
    expect(await page.locator('dl.facts').textContent()).toContain(`${width} × ${height}`);
    expect(await page.locator('dl.facts').textContent()).toContain('uploaded');
    await loaded(page.locator('.image-frame img'));
  });

  it('edits the upload with a painted mask: the mask is a PNG of the source size, clear where painted, and the edit is a new image that names its parent', async () => {
    const parentId = uploadedPath.split('/').pop()!;
    // The mask is checked where it leaves the browser, on its way to the bucket (passed on unchanged).
    const posts: Buffer[] = [];
    const toBucket = (url: URL) => url.origin !== studio.stack.url;
    await page.route(toBucket, (route) => {
      const request = route.request();
      if (request.method() === 'POST') posts.push(request.postDataBuffer() ?? Buffer.alloc(0));
      return route.continue();
    });
    let editBody: unknown;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/edits')) editBody = request.postDataJSON();
    });

    await page.getByRole('link', { name: 'Edit with a prompt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit an image' }).waitFor();
    const canvas = page.getByLabel('Paint over the parts of the image to change');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.getByRole('textbox', { name: /^What to change/ }).fill('a red boat on the water');
    await page.getByRole('button', { name: 'Edit the image' }).click();

    const progress = page.getByRole('region', { name: 'Progress of the edit' });
    await progress.waitFor();
    await expect.poll(() => progress.locator('.job-status').textContent(), { timeout: 60_000 }).toBe('Done.');
    await page.unroute(toBucket);
    expect(editBody).toMatchObject({ imageId: parentId, prompt: 'a red boat on the water' });
    const maskUploadId = (editBody as { maskUploadId?: string }).maskUploadId;
    expect(maskUploadId).toBeTruthy();

    expect(posts).toHaveLength(1);
    const form = posts[0]!;
    const start = form.indexOf('\r\n\r\n', form.indexOf('name="file"')) + 4;
    const png = form.subarray(start, form.lastIndexOf('\r\n--'));
    const metadata = await sharp(png).metadata();
    expect({
      format: metadata.format,
      width: metadata.width,
      height: metadata.height,
      channels: metadata.channels,
    }).toEqual({
      format: 'png',
      width,
      height,
      channels: 4,
    });
    const pixels = await sharp(png).raw().toBuffer();
    const alphaAt = (x: number, y: number) => pixels[(y * width + x) * 4 + 3];
    expect(alphaAt(width * 0.375, height / 2)).toBe(0);
    expect(alphaAt(5, 5)).toBe(255);
    expect(alphaAt(width - 5, height - 5)).toBe(255);

    const results = page.getByRole('region', { name: /Your new image/ });
    await results.waitFor();
    await results.getByRole('link').first().click();
    await page.waitForURL(/\/images\/[0-9A-Z]+$/);
    expect(new URL(page.url()).pathname).not.toBe(uploadedPath);
    const facts = page.locator('dl.facts');
    await facts.waitFor();
    expect(await facts.textContent()).toContain('edited');
    expect(await facts.textContent()).toContain('a red boat on the water');
    const parent = facts.getByRole('link', { name: 'the original image' });
    expect(await parent.getAttribute('href')).toBe(uploadedPath);
    await loaded(parent.locator('img'));
    editedPath = new URL(page.url()).pathname;
    await loaded(page.locator('.image-frame img'));
    await screenshots(page, 'edited-image');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The source is kept.
    await parent.click();
    await page.waitForURL(`${studio.stack.url}${uploadedPath}`);
    await loaded(page.locator('.image-frame img'));
  });

  it('lists the upload and the edit under my images, by kind', async () => {
    await page.goto(`${studio.stack.url}/mine?kind=edited`);
    await page.getByRole('heading', { level: 1, name: 'My images' }).waitFor();
    const cards = page.locator('ul.image-grid > li.image-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(1);
    await page.goto(`${studio.stack.url}/mine?kind=uploaded`);
    await cards.first().waitFor();
    expect(await cards.count()).toBe(1);
    expect(await cards.first().locator('a').getAttribute('href')).toBe(uploadedPath);
    await page.goto(`${studio.stack.url}/mine`);
    await expect.poll(() => cards.count()).toBe(3);
    await screenshots(page, 'my-images');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('describes the edit on request, then deletes it, leaving the source', async () => {
    await page.goto(`${studio.stack.url}${editedPath}`);
    await page.getByText('No description yet.').waitFor();
    await page.getByRole('button', { name: 'Describe it' }).click();
    const description = page.locator('p.description');
    await description.waitFor({ timeout: 60_000 });
    expect((await description.textContent())?.trim().length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Describe again' }).waitFor();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete the image' }).click();
    await page.waitForURL(`${studio.stack.url}/mine`);
    const cards = page.locator('ul.image-grid > li.image-card');
    await expect.poll(() => cards.count()).toBe(2);
    const hrefs = await cards
      .locator('a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs).toContain(uploadedPath);
    expect(hrefs).not.toContain(editedPath);
  });

  it('logged no console error and threw no exception on any page', () => {
    expect(browserConsole.problems).toEqual([]);
  });
});
