import type { TestProject } from 'vitest/node';
import { buildGalleryIfStale } from '../../scripts/build-gallery.ts';
import emulatorSetup from '../integration/support/global-setup.ts';

/** The browser tests share the integration tests' emulator setup, after making sure the gallery is built. */
export default async function setup(project: TestProject) {
  await buildGalleryIfStale();
  return emulatorSetup(project);
}
