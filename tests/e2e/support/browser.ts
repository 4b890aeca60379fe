import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const launchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};

/** Debian's Chromium, headless; the tests never download a browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(launchOptions);
}

/** Chromium with a profile on disk, so that closing and launching it again is a browser restart. */
export function launchChromiumWithProfile(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, { ...launchOptions, viewport: viewports.desktop });
}

export const viewports = {
  phone: { width: 360, height: 780 },
  desktop: { width: 1280, height: 800 },
} as const;

/**
 * Every console error and uncaught exception of a page. The browser itself logs an API
 * answer of 4xx as "Failed to load resource"; a test that provokes one on purpose (a
 * validation error, a route the backend does not serve yet) names its URL with `allow`.
 */
export function watchConsole(page: Page) {
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url ?? '';
    if (message.text().startsWith('Failed to load resource') && allowed.some((pattern) => pattern.test(url)))
      return;
    problems.push(`${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return {
    problems,
    allow(pattern: RegExp) {
      allowed.push(pattern);
    },
  };
}

const screenshotDir = path.resolve(import.meta.dirname, '../../../test-results/screenshots');

/** Full-page screenshots at phone and desktop widths, kept as test artefacts. */
export async function screenshots(page: Page, name: string) {
  await mkdir(screenshotDir, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    // Two frames: the new width is laid out and painted. (A string: this file's type check has no DOM.)
    await page.evaluate(
      'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
    );
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page, at phone
 * and desktop widths. axe is evaluated through the DevTools protocol rather than added
 * as a <script>, which the page's Content-Security-Policy (rightly) refuses.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const found: string[] = [];
  const original = page.viewportSize();
  for (const [label, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.evaluate(axeSource);
    const violations = (await page.evaluate(
      "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
    )) as AxeViolation[];
    for (const violation of violations) {
      if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
      const targets = violation.nodes.map((node) => node.target.join(' ')).join(', ');
      found.push(`${label}: ${violation.id} (${violation.impact}) ${violation.help}: ${targets}`);
    }
  }
  if (original) await page.setViewportSize(original);
  return found;
}
