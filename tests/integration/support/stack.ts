import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type CloudAssembly, readCloudAssembly } from '../../../scripts/assembly/cloud-assembly.ts';
import { type LocalStackOptions, startLocalStack } from '../../../scripts/local-stack.ts';

/** A unique, S3-safe prefix so that each test file has resources of its own. */
export function testPrefix(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** The templates the global setup synthesized for this run. */
export function testAssembly(): CloudAssembly {
  return readCloudAssembly(inject('assemblyDirectory'));
}

/**
 * The whole local stack (its own resources in the shared emulator, the fake provider and
 * the runtime on a free port) for one test file.
 */
export async function startTestStack(options: Partial<LocalStackOptions> = {}) {
  process.env.AWS_ENDPOINT_URL = inject('awsEndpoint');
  return startLocalStack({
    port: 0,
    prefix: testPrefix(),
    stackFile: false,
    fakeProvider: true,
    assembly: testAssembly(),
    ...options,
  });
}
