// The browser tests share the integration tests' emulator setup; a file of their own keeps
// vitest from running the two projects' setups as one.
export { default } from '../integration/support/global-setup.ts';
