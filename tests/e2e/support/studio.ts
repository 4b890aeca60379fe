import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { RunningLocalStack } from '../../../scripts/local-stack.ts';
import { startTestStack } from '../../integration/support/stack.ts';
import { launchChromium } from './browser.ts';

export interface Studio {
  /** The local stack: the gallery on `/`, the API on `/api`, the fake provider behind it. */
  stack: RunningLocalStack;
  browser: Browser;
}

/**
 * The whole of Easel and a Chromium for one test file: started before its tests, stopped
 * after. `settings` are function settings (e.g. a small QUOTA_PER_DAY) for this file only.
 */
export function useStudio(settings: Record<string, string> = {}): Studio {
  const studio = {} as Studio;
  beforeAll(async () => {
    studio.stack = await startTestStack({ settings });
    studio.browser = await launchChromium();
  });
  afterAll(async () => {
    await studio.browser?.close();
    await studio.stack?.stop();
  });
  return studio;
}
