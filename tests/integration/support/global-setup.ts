import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesizeLocalAssembly } from '../../../scripts/assembly/cloud-assembly.ts';
import { startEmulator } from '../../../scripts/emulator/emulator.ts';
import { startLocalStackEmulator } from '../../../scripts/emulator/localstack.ts';
import { type AuditReport, summariseAudits } from '../../../scripts/iam/policy-audit.ts';
import {
  describeViolations,
  type ResponseReport,
  summariseResponseReports,
} from '../../support/openapi-responses.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
    /** `AWS_ENDPOINT_URL_<SERVICE>` for the services another emulator serves (the LocalStack pairing). */
    serviceEndpoints: Record<string, string>;
    /** Which emulator serves S3, SQS and Secrets Manager in this run. */
    emulator: 'moto' | 'localstack';
    /** The cloud assembly synthesized for the run (templates only); every test stack is built from it. */
    assemblyDirectory: string;
    /** Where each test stack leaves the report of its functions' AWS calls, checked against their roles. */
    iamReportDirectory: string;
    /** Where each test stack leaves the count of API answers checked against the OpenAPI document. */
    responseReportDirectory: string;
  }
}

/** Every test stack's IAM report, summed up at the end of the run; a denied call fails it. */
async function summariseIam(directory: string) {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.json'));
  if (files.length === 0) return;
  const reports = await Promise.all(
    files.map(async (name) => JSON.parse(await readFile(path.join(directory, name), 'utf8')) as AuditReport),
  );
  const summary = summariseAudits(reports);
  console.info(summary.text);
  if (summary.denied.length > 0) {
    throw new Error(
      `${summary.denied.length} AWS call(s) the functions made would be denied in AWS (listed above).`,
    );
  }
}

/** Every test stack's answers checked against the OpenAPI document, counted for the tier; an undocumented one fails the run. */
async function summariseResponses(tier: string, directory: string) {
  const files = (await readdir(directory).catch(() => [])).filter((name) => name.endsWith('.json'));
  const reports = await Promise.all(
    files.map(
      async (name) => JSON.parse(await readFile(path.join(directory, name), 'utf8')) as ResponseReport,
    ),
  );
  const summary = summariseResponseReports(tier, reports);
  console.info(summary.text);
  if (summary.violations.length > 0) {
    throw new Error(
      `${summary.violations.length} API answers are not what the OpenAPI document says:\n${describeViolations(summary.violations)}`,
    );
  }
}

/**
 * One emulator for the whole integration run (or the endpoint AWS_ENDPOINT_URL names) and
 * one synthesized assembly; each test file provisions its own resources from the
 * templates, in the emulator, under a prefix of its own. With EASEL_EMULATOR=localstack,
 * LocalStack serves S3, SQS and Secrets Manager and moto DynamoDB and Cognito. At the end,
 * the summary of the functions' AWS calls checked against their roles.
 */
export default async function setup(project: TestProject) {
  const assemblyDirectory = await mkdtemp(path.join(os.tmpdir(), 'easel-assembly-'));
  await synthesizeLocalAssembly(assemblyDirectory);
  project.provide('assemblyDirectory', assemblyDirectory);
  const iamReportDirectory = await mkdtemp(path.join(os.tmpdir(), 'easel-iam-'));
  project.provide('iamReportDirectory', iamReportDirectory);
  const responseReportDirectory = await mkdtemp(path.join(os.tmpdir(), 'easel-responses-'));
  project.provide('responseReportDirectory', responseReportDirectory);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
    await rm(assemblyDirectory, { recursive: true, force: true });
    try {
      await summariseIam(iamReportDirectory);
    } finally {
      await rm(iamReportDirectory, { recursive: true, force: true });
      try {
        await summariseResponses(project.name, responseReportDirectory);
      } finally {
        await rm(responseReportDirectory, { recursive: true, force: true });
      }
    }
  };
  try {
    // moto binds a port of the kernel's choosing and reports it in the endpoint.
    const moto = await startEmulator({ port: 0 });
    stops.push(() => moto.stop());
    if ((project.config.env?.EASEL_EMULATOR ?? process.env.EASEL_EMULATOR) === 'localstack') {
      const localStack = await startLocalStackEmulator();
      stops.push(() => localStack.stop());
      project.provide('emulator', 'localstack');
      project.provide('awsEndpoint', localStack.endpoint);
      project.provide('serviceEndpoints', {
        AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: moto.endpoint,
      });
    } else {
      project.provide('emulator', 'moto');
      project.provide('awsEndpoint', moto.endpoint);
      project.provide('serviceEndpoints', {});
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
