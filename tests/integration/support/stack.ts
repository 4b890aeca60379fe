import { randomBytes } from 'node:crypto';
import path from 'node:path';
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
 * Points this test file's SDK clients (and the stack's functions) at the run's emulators:
 * `AWS_ENDPOINT_URL`, and per service where another emulator serves it (LocalStack's run).
 */
export function useTestEndpoints() {
  process.env.AWS_ENDPOINT_URL = inject('awsEndpoint');
  Object.assign(process.env, inject('serviceEndpoints'));
}

/**
 * The whole local stack (its own resources in the shared emulator, the fake provider and
 * the runtime on a free port) for one test file. Every AWS call its functions make is
 * checked against their roles when it stops: a call a role does not allow fails the
 * file's `afterAll`, and the report joins the run's summary (see global-setup.ts).
 */
export async function startTestStack(options: Partial<LocalStackOptions> = {}) {
  useTestEndpoints();
  const prefix = testPrefix();
  return startLocalStack({
    port: 0,
    prefix,
    stackFile: false,
    fakeProvider: true,
    assembly: testAssembly(),
    iamAudit: { reportFile: path.join(inject('iamReportDirectory'), `${prefix}.json`) },
    ...options,
  });
}
