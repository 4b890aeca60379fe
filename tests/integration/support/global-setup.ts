import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../../scripts/emulator/emulator.ts';

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
  // moto binds a port of the kernel's choosing and reports it in the endpoint.
  const emulator = await startEmulator({ port: 0 });
  project.provide('awsEndpoint', emulator.endpoint);
  return () => emulator.stop();
}
