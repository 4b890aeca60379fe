import { defineConfig } from 'vitest/config';

// Sized for a busy 2-core CI machine, where a synth takes up to 70 s and a stack start or a
// job several times what it takes on an idle one: waits poll for their condition for long,
// so a slow run is slow, not red.
const busyMachinePoll = { poll: { timeout: 30_000, interval: 100 } };

/** The integration files the LocalStack tier runs: those that touch S3, SQS or Secrets Manager most. */
const localStackTier = [
  'tests/integration/**/*.localstack.test.ts',
  'tests/integration/uploads.test.ts',
  'tests/integration/queue-runtime.test.ts',
];

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
        // S3, SQS and Secrets Manager on LocalStack (host mode, no Docker), DynamoDB and Cognito on
        // moto: the stack's storage and queue paths, and S3 enforcing the upload policy.
        test: {
          name: 'localstack',
          include: localStackTier,
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
