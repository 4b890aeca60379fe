import type { BrowserContext, Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchConsole } from './support/browser.ts';
import { logIn, signUpAndLogIn } from './support/journeys.ts';
import { useStudio } from './support/studio.ts';

const studio = useStudio();
let context: BrowserContext;
let page: Page;
/** Every read of a job the page makes: `GET /api/jobs/<id>`. */
let jobReads = 0;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  watchConsole(page);
  page.on('request', (request) => {
    if (request.method() === 'GET' && /\/api\/jobs\/[^/?]+$/.test(new URL(request.url()).pathname))
      jobReads += 1;
  });
  page.on('websocket', (socket) => sockets.push(socket));
});
afterAll(async () => {
  await context?.close();
});

async function generate(prompt: string) {
  await page.getByRole('heading', { level: 1, name: 'Generate' }).waitFor();
  await page.getByRole('textbox', { name: /^Prompt/ }).fill(prompt);
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.waitForURL(/\/generate\?job=/);
  await expect.poll(() => page.locator('.job-status').textContent(), { timeout: 60_000 }).toBe('Done.');
  const results = page.getByRole('region', { name: 'Your new image' });
  await results.waitFor();
  await expect.poll(() => results.getByRole('img').count()).toBe(1);
}

describe('the page follows a job on the live-updates socket', () => {
  it('shows the result from the messages alone, without reading the job', async () => {
    await signUpAndLogIn(page, studio.stack.url, 'live-painter@example.com', 'Live Painter');
    // The socket opens while the generate page is shown.
    await expect.poll(() => sockets.some((socket) => /\/api\/live\?ticket=/.test(socket.url()))).toBe(true);
    await expect.poll(() => studio.stack.liveConnectionIds().length, { timeout: 30_000 }).toBe(1);
    const socket = sockets.at(-1)!;
    const frames: string[] = [];
    socket.on('framereceived', (frame) => frames.push(String(frame.payload)));
    expect(socket.url()).not.toContain('token');

    const readsBefore = jobReads;
    await generate('a paper boat [fake:slow=1500]');
    expect(jobReads - readsBefore).toBe(0);
    expect(frames.map((frame) => JSON.parse(frame).status)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
  });

  it('falls back to polling the job when the socket is closed', async () => {
    // Every live-updates socket is closed by the "server" as soon as it opens.
    await page.routeWebSocket(/\/api\/live/, (socket) => {
      socket.close({ code: 1011, reason: 'gone' });
    });
    await logIn(page, studio.stack.url, 'live-painter@example.com');
    await page.goto(`${studio.stack.url}/generate`);
    const readsBefore = jobReads;
    await generate('a paper plane [fake:slow=1500]');
    expect(jobReads - readsBefore).toBeGreaterThan(0);
  });
});
