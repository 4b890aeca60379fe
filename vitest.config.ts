import { defineConfig } from 'vitest/config';

// Sized for a busy 2-core CI machine, where a synth takes up to 70 s and a stack start or a
// job several times what it takes on an idle one: waits poll for their condition for long,
// so a slow run is slow, not red.
const busyMachinePoll = { poll: { timeout: 30_000, interval: 100 } };

export default defineConfig({
  test: {
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'us-east-1' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Tests only a server that enforces presigned POST policies can pass; moto does not.
          exclude: ['tests/integration/**/*.localstack.test.ts'],
          globalSetup: ['tests/integration/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          expect: busyMachinePoll,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        // The integration tier again, with S3, SQS and Secrets Manager on LocalStack (host mode, no
        // Docker) and DynamoDB and Cognito on moto, plus the files only a server that enforces
        // presigned POST policies passes. About 6 minutes here.
        test: {
          name: 'localstack',
          include: ['tests/integration/**/*.test.ts'],
          env: { EASEL_EMULATOR: 'localstack' },
          globalSetup: ['tests/integration/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          expect: busyMachinePoll,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        // Schemathesis against the local stack and its OpenAPI document: a few minutes here.
        test: {
          name: 'schemathesis',
          include: ['tests/schemathesis/**/*.test.ts'],
          globalSetup: ['tests/integration/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        // Each file synthesizes the app in beforeAll: up to 70 s on a busy machine.
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          expect: busyMachinePoll,
        },
      },
      {
        extends: true,
        // The bundles of cdk.out (npm run synth) on arm64 Node 22 under qemu-user: cold starts take seconds.
        test: {
          name: 'artefacts',
          include: ['tests/artefacts/**/*.test.ts'],
          globalSetup: ['tests/integration/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
