import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalStack } from '../scripts/emulator/provision.ts';
import type { QueueName } from '../shared/resources.ts';
import { CliError } from './errors.ts';

/** Where a deployment's resources are, for the operator commands, which talk to AWS directly. */
export interface Deployment {
  readonly description: string;
  /** The site's origin; the API is under /api. */
  readonly siteUrl?: string;
  readonly tableName: string;
  readonly imageBucket: string;
  readonly userPoolId: string;
  /** The CloudFront distribution serving public images; none locally, where `/img/*` is served uncached. */
  readonly distributionId?: string;
  readonly queues: Readonly<Record<QueueName, { readonly url: string; readonly dlqUrl: string }>>;
  /** SDK client settings per service: the emulators' endpoints and dummy credentials locally, the SDK's own lookup in AWS. */
  clientConfig(service: AwsService): {
    readonly region?: string;
    readonly endpoint?: string;
    readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  };
}

/** The SDK's service ids as they appear in `AWS_ENDPOINT_URL_<SERVICE>`. */
export type AwsService = 'DYNAMODB' | 'S3' | 'SQS' | 'COGNITO_IDENTITY_PROVIDER';

export const defaultLocalStackFile = path.resolve(import.meta.dirname, '..', '.local', 'stack.json');

/** The stack names of a stage, as `infra/app.ts` names them. */
export function stackNames(stage: string) {
  return { stateful: `Easel-${stage}-Stateful`, stateless: `Easel-${stage}-Stateless` };
}

/** A deployment in AWS, from its two stacks' outputs (needs AWS credentials). */
export async function deploymentFromStacks(stage: string): Promise<Deployment> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const cloudFormation = new CloudFormationClient({});
  try {
    const names = stackNames(stage);
    const outputs: Record<string, string> = {};
    for (const name of [names.stateful, names.stateless]) {
      const stack = await cloudFormation
        .send(new DescribeStacksCommand({ StackName: name }))
        .catch((error: Error) => {
          throw new CliError(`Cannot read the stack ${name}: ${error.message}`);
        });
      for (const output of stack.Stacks?.[0]?.Outputs ?? [])
        if (output.OutputKey && output.OutputValue) outputs[output.OutputKey] = output.OutputValue;
    }
    const need = (key: string) => {
      const value = outputs[key];
      if (!value)
        throw new CliError(`The stacks of stage ${stage} have no ${key} output; deploy them again.`);
      return value;
    };
    return {
      description: `stage ${stage}`,
      siteUrl: need('SiteUrl'),
      tableName: need('TableName'),
      imageBucket: need('ImageBucketName'),
      userPoolId: need('UserPoolId'),
      distributionId: need('DistributionId'),
      queues: {
        jobs: { url: need('JobsQueueUrl'), dlqUrl: need('JobsDeadLetterQueueUrl') },
        uploads: { url: need('UploadsQueueUrl'), dlqUrl: need('UploadsDeadLetterQueueUrl') },
        accounts: { url: need('AccountsQueueUrl'), dlqUrl: need('AccountsDeadLetterQueueUrl') },
      },
      clientConfig: () => ({}),
    };
  } finally {
    cloudFormation.destroy();
  }
}

/** The local stack, from the file `npm run dev` writes. */
export async function localDeployment(file: string, env: NodeJS.ProcessEnv): Promise<Deployment> {
  let stack: LocalStack;
  try {
    stack = JSON.parse(await readFile(file, 'utf8')) as LocalStack;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(
        `No local stack (${file} is missing): start it with npm run dev, or name a deployment with --stack <stage>.`,
      );
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  return {
    description: `the local stack (${file})`,
    tableName: stack.tableName,
    imageBucket: stack.imageBucket,
    userPoolId: stack.userPoolId,
    queues: {
      jobs: { url: stack.jobsQueueUrl, dlqUrl: stack.jobsDlqUrl },
      uploads: { url: stack.uploadsQueueUrl, dlqUrl: stack.uploadsDlqUrl },
      accounts: { url: stack.accountsQueueUrl, dlqUrl: stack.accountsDlqUrl },
    },
    clientConfig: (service) => ({
      region: stack.region,
      // The SDK's own order: the service's variable, then AWS_ENDPOINT_URL; then where the stack was
      // provisioned (DynamoDB and Cognito on moto beside LocalStack, say).
      endpoint:
        env[`AWS_ENDPOINT_URL_${service}`] ??
        env.AWS_ENDPOINT_URL ??
        stack.serviceEndpoints?.[`AWS_ENDPOINT_URL_${service}`] ??
        stack.endpoint,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
      },
    }),
  };
}
