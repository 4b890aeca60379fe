import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EaselStacks } from '../../infra/build-app.ts';
import { functionPermissions } from '../../infra/function-permissions.ts';
import type { AssemblyStack, Template as StackTemplate } from '../../scripts/assembly/cloud-assembly.ts';
import { TemplateResolver } from '../../scripts/assembly/intrinsics.ts';
import { startPolicyAudit } from '../../scripts/iam/policy-audit.ts';
import { iamPatternMatches } from '../../scripts/iam/role-policies.ts';
import { functionAccessKeyId } from '../../scripts/local-runtime/lambda-environment.ts';
import { logicalId, testApp } from './easel-app.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let stacks: EaselStacks;
let stateless: StackTemplate;
let stateful: StackTemplate;

beforeAll(() => {
  stacks = testApp();
  stateless = Template.fromStack(stacks.stateless).toJSON() as StackTemplate;
  stateful = Template.fromStack(stacks.stateful).toJSON() as StackTemplate;
});

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function policiesOf(template: StackTemplate, name: string) {
  const roleId = logicalId(stacks.stateless.functions.get(name)!.role);
  return Object.values(template.Resources).filter(
    (resource) =>
      resource.Type === 'AWS::IAM::Policy' &&
      (resource.Properties!.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
  );
}

function statementsOf(name: string): Statement[] {
  return policiesOf(stateless, name).flatMap(
    (policy) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

/** The key pattern of an image bucket object ARN (`img/*` of `<bucket ARN>/img/*`); undefined for other resources. */
function imageKeyPattern(resource: unknown): string | undefined {
  const parts = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1];
  const [bucket, suffix] = parts ?? [];
  const output = (bucket as { 'Fn::GetStackOutput'?: { OutputName: string } })?.['Fn::GetStackOutput'];
  if (!output?.OutputName.includes('ImageBucket') || typeof suffix !== 'string') return undefined;
  return suffix.replace(/^\//, '');
}

/** Every (function, key pattern) an object action of the image bucket is granted on. */
function objectGrants(action: string) {
  return Object.keys(functionPermissions).flatMap((name) =>
    statementsOf(name)
      .filter((statement) => statement.Effect === 'Allow')
      .filter((statement) =>
        list(statement.Action).some((granted) => iamPatternMatches(granted, action, true)),
      )
      .flatMap((statement) => list(statement.Resource).map(imageKeyPattern))
      .filter((pattern): pattern is string => pattern !== undefined)
      .map((pattern) => ({ name, pattern })),
  );
}

describe('the user pool', () => {
  const allowedTo = (action: string) =>
    Object.keys(functionPermissions).filter((name) =>
      statementsOf(name).some(
        (statement) =>
          statement.Effect === 'Allow' &&
          list(statement.Action).some((granted) => iamPatternMatches(granted, action, true)),
      ),
    );

  it('lets worker-accounts alone delete and disable users', () => {
    expect(allowedTo('cognito-idp:AdminDeleteUser')).toEqual(['worker-accounts']);
    expect(allowedTo('cognito-idp:AdminDisableUser')).toEqual(['worker-accounts']);
  });
});

describe('the image bucket', () => {
  it('lets no function but api-images put objects under img/, which CloudFront serves', () => {
    const writers = objectGrants('s3:PutObject').filter(({ pattern }) =>
      iamPatternMatches(pattern, 'img/01JD0000000000000000000000/original.png'),
    );
    expect(writers.map(({ name }) => name)).toEqual(['api-images']);
  });

  it('is written and deleted by prefix only, never as a whole', () => {
    const grants = [...objectGrants('s3:PutObject'), ...objectGrants('s3:DeleteObject')];
    expect(grants.length).toBeGreaterThan(0);
    for (const { name, pattern } of grants) {
      expect(pattern, `${name} writes ${pattern}`).toMatch(/^(images|img|uploads|staged|jobs)\/\*$/);
    }
  });
});

describe('the table', () => {
  const writes = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem'];
  const writesOf = (name: string) =>
    statementsOf(name)
      .flatMap((statement) => list(statement.Action))
      .filter((action) => writes.includes(action.replace(/^dynamodb:/, '')))
      .sort();

  it('is written by each function with exactly the item writes its entry lists', () => {
    for (const [name, spec] of Object.entries(functionPermissions)) {
      expect(writesOf(name), name).toEqual((spec.table ?? []).map((write) => `dynamodb:${write}`).sort());
    }
  });

  it('is only read by the gallery, and no function checks conditions without writing; the dead-letter handler deletes only because it posts job changes (a gone socket is forgotten)', () => {
    expect(writesOf('api-gallery')).toEqual([]);
    expect(functionPermissions['worker-dead-letters']!.postsJobChanges).toBe(true);
    expect(writesOf('worker-dead-letters')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    for (const name of Object.keys(functionPermissions)) {
      expect(writesOf(name)).not.toContain('dynamodb:ConditionCheckItem');
    }
  });

  it('is written through the table itself, never through an index', () => {
    for (const name of Object.keys(functionPermissions)) {
      for (const statement of statementsOf(name)) {
        if (!list(statement.Action).some((action) => writes.includes(action.replace(/^dynamodb:/, ''))))
          continue;
        expect(JSON.stringify(statement.Resource), name).not.toContain('/index/');
      }
    }
  });
});

describe('the check of recorded calls against the synthesized roles', () => {
  const account = '123456789012';
  const bucketName = 'local-images';

  /** The templates with the stateful resources given local ARNs, as the local stack provisions them. */
  function localAssembly(statelessTemplate: StackTemplate) {
    const statefulStack: AssemblyStack = {
      name: stacks.stateful.stackName,
      template: stateful,
      assets: new Map(),
    };
    const statelessStack: AssemblyStack = {
      name: stacks.stateless.stackName,
      template: statelessTemplate,
      assets: new Map(),
    };
    const resolver = new TemplateResolver([statefulStack, statelessStack], {
      region: 'us-east-1',
      accountId: account,
    });
    for (const [id, resource] of Object.entries(stateful.Resources)) {
      if (resource.Type === 'AWS::DynamoDB::GlobalTable')
        resolver.define(statefulStack, id, {
          Ref: 'local-table',
          Arn: `arn:aws:dynamodb:us-east-1:${account}:table/local-table`,
        });
      if (resource.Type === 'AWS::S3::Bucket') {
        const name = id.startsWith('ImageBucket') ? bucketName : `local-${id.toLowerCase()}`;
        resolver.define(statefulStack, id, { Ref: name, Arn: `arn:aws:s3:::${name}` });
      }
      if (resource.Type === 'AWS::SecretsManager::Secret')
        resolver.define(statefulStack, id, {
          Ref: `arn:aws:secretsmanager:us-east-1:${account}:secret:${id}-AbCdEf`,
        });
    }
    for (const [id, resource] of Object.entries(statelessTemplate.Resources)) {
      if (resource.Type === 'AWS::SQS::Queue')
        resolver.define(statelessStack, id, {
          Ref: `http://127.0.0.1/${account}/${id}`,
          Arn: `arn:aws:sqs:us-east-1:${account}:${id}`,
        });
    }
    return {
      directory: '',
      stage: 'dev',
      stateful: statefulStack,
      stateless: statelessStack,
      bundled: false,
      resolver,
    };
  }

  /** api-images sharing an image: the copy under img/ that only its role may make. */
  const sharingCopy = {
    method: 'PUT',
    url: `/${bucketName}/img/01JD0000000000000000000000/original.png?x-id=CopyObject`,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${functionAccessKeyId('api-images')}/20261129/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0`,
      'x-amz-copy-source': `${bucketName}/images/01JD0000000000000000000000/original.png`,
    },
  };

  async function check(statelessTemplate: StackTemplate) {
    const { resolver, ...assembly } = localAssembly(statelessTemplate);
    const audit = startPolicyAudit({
      assembly,
      resolver,
      functionOfKey: (key) => (key === functionAccessKeyId('api-images') ? 'api-images' : undefined),
    });
    audit.record(sharingCopy);
    return audit.finish();
  }

  it('allows api-images its copy under img/ with the role as synthesized', async () => {
    const report = await check(stateless);
    expect(report.denied).toEqual([]);
    expect(report.exercised['api-images']).toEqual(
      expect.arrayContaining([`s3:PutObject ImageBucket/img/*`, `s3:GetObject ImageBucket/images/*`]),
    );
  });

  it('denies the copy, naming function, action and resource, once the role loses its PutObject grant', async () => {
    const withoutPut = structuredClone(stateless);
    for (const policy of policiesOf(withoutPut, 'api-images')) {
      const document = policy.Properties!.PolicyDocument as { Statement: Statement[] };
      document.Statement = document.Statement.filter(
        (statement) => !list(statement.Action).includes('s3:PutObject'),
      );
    }
    const report = await check(withoutPut);
    expect(report.denied).toEqual([
      expect.objectContaining({
        function: 'api-images',
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${bucketName}/img/01JD0000000000000000000000/original.png`,
        label: 'ImageBucket/img/01JD0000000000000000000000/original.png',
      }),
    ]);
  });
});
