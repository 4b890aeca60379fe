import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../../scripts/emulator/emulator.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

/**
 * One emulator for the whole integration run (or the endpoint AWS_ENDPOINT_URL names);
 * each test file provisions its own resources in it under a prefix of its own.
 */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator({ port: process.env.AWS_ENDPOINT_URL ? undefined : await freePort() });
  project.provide('awsEndpoint', emulator.endpoint);
  return () => emulator.stop();
}
