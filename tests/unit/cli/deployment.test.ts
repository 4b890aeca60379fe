import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDeployment } from '../../../cli/deployment.ts';

async function stackFile(serviceEndpoints: Record<string, string>) {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'easel-deployment-')), 'stack.json');
  await writeFile(
    file,
    JSON.stringify({
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      tableName: 'table',
      imageBucket: 'images',
      userPoolId: 'pool',
      jobsQueueUrl: 'jobs',
      jobsDlqUrl: 'jobs-dlq',
      uploadsQueueUrl: 'uploads',
      uploadsDlqUrl: 'uploads-dlq',
      serviceEndpoints,
    }),
  );
  return file;
}

describe('the local deployment of the operator commands', () => {
  it('reaches each service where the stack was provisioned: DynamoDB and Cognito on moto beside LocalStack', async () => {
    const file = await stackFile({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:5000',
    });
    const deployment = await localDeployment(file, {});
    expect(deployment.clientConfig('DYNAMODB').endpoint).toBe('http://127.0.0.1:5000');
    expect(deployment.clientConfig('COGNITO_IDENTITY_PROVIDER').endpoint).toBe('http://127.0.0.1:5000');
    expect(deployment.clientConfig('SQS').endpoint).toBe('http://127.0.0.1:4566');
    expect(deployment.clientConfig('S3').endpoint).toBe('http://127.0.0.1:4566');
  });

  it("lets the shell's endpoint variables win, the service's own before AWS_ENDPOINT_URL", async () => {
    const file = await stackFile({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5000' });
    const deployment = await localDeployment(file, {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:7000',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:8000',
    });
    expect(deployment.clientConfig('SQS').endpoint).toBe('http://127.0.0.1:8000');
    expect(deployment.clientConfig('DYNAMODB').endpoint).toBe('http://127.0.0.1:7000');
    expect(deployment.clientConfig('S3').endpoint).toBe('http://127.0.0.1:7000');
  });
});
