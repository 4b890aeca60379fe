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
 * after. `env` sets function settings (e.g. a small QUOTA_PER_DAY) for this file only.
 */
export function useStudio(env: Record<string, string> = {}): Studio {
  const studio = {} as Studio;
  const before: Record<string, string | undefined> = {};
  beforeAll(async () => {
    for (const [name, value] of Object.entries(env)) {
      before[name] = process.env[name];
      process.env[name] = value;
    }
    studio.stack = await startTestStack();
    studio.browser = await launchChromium();
  });
  afterAll(async () => {
    await studio.browser?.close();
    await studio.stack?.stop();
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return studio;
}
