import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesizeLocalAssembly } from '../../../scripts/assembly/cloud-assembly.ts';
import { startEmulator } from '../../../scripts/emulator/emulator.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
    /** The cloud assembly synthesized for the run (templates only); every test stack is built from it. */
    assemblyDirectory: string;
  }
}

/**
 * One emulator for the whole integration run (or the endpoint AWS_ENDPOINT_URL names) and
 * one synthesized assembly; each test file provisions its own resources from the
 * templates, in the emulator, under a prefix of its own.
 */
export default async function setup(project: TestProject) {
  const assemblyDirectory = await mkdtemp(path.join(os.tmpdir(), 'easel-assembly-'));
  await synthesizeLocalAssembly(assemblyDirectory);
  project.provide('assemblyDirectory', assemblyDirectory);
  // moto binds a port of the kernel's choosing and reports it in the endpoint.
  const emulator = await startEmulator({ port: 0 });
  project.provide('awsEndpoint', emulator.endpoint);
  return async () => {
    await emulator.stop();
    await rm(assemblyDirectory, { recursive: true, force: true });
  };
}
