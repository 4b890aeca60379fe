import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { type CloudAssembly, readCloudAssembly } from '../../../scripts/assembly/cloud-assembly.ts';
import type { ApiExchange } from '../../../scripts/local-runtime/http-server.ts';
import { type LocalStackOptions, startLocalStack } from '../../../scripts/local-stack.ts';
import { describeViolations, responseValidator } from '../../support/openapi-responses.ts';

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
 * file's `afterAll`, and the report joins the run's summary (see global-setup.ts). So is
 * every answer of the API, against the OpenAPI document the stack serves: a status the
 * operation does not list, or a body its schema refuses, fails `stop()` naming the
 * operation, the status and the first schema error.
 */
export async function startTestStack(options: Partial<LocalStackOptions> = {}) {
  useTestEndpoints();
  const prefix = testPrefix();
  const exchanges: ApiExchange[] = [];
  const stack = await startLocalStack({
    port: 0,
    prefix,
    stackFile: false,
    fakeProvider: true,
    assembly: testAssembly(),
    iamAudit: { reportFile: path.join(inject('iamReportDirectory'), `${prefix}.json`) },
    ...options,
    onResponse: (exchange) => {
      exchanges.push(exchange);
      options.onResponse?.(exchange);
    },
  });
  return {
    ...stack,
    stop: async () => {
      // The document as this stack serves it, with its configured limits.
      const document = await fetch(`${stack.url}/api/openapi.json`)
        .then((response) => response.json() as Promise<Record<string, unknown>>)
        .catch(() => undefined);
      await stack.stop();
      if (!document) throw new Error('The stack did not serve its OpenAPI document at /api/openapi.json.');
      const validator = responseValidator(document);
      for (const exchange of exchanges) validator.check(exchange);
      const report = validator.report();
      const directory = inject('responseReportDirectory');
      await mkdir(directory, { recursive: true });
      await writeFile(path.join(directory, `${prefix}.json`), `${JSON.stringify(report)}\n`);
      if (report.violations.length > 0) {
        throw new Error(
          `${report.violations.length} of ${report.checked} API answers are not what the OpenAPI document says:\n${describeViolations(report.violations)}`,
        );
      }
    },
  };
}
