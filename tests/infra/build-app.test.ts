import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { checkPermissions, functionPermissions } from '../../infra/function-permissions.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import { apiFunctions } from '../../shared/http/routes.ts';
import { queues } from '../../shared/resources.ts';
import { findCycle, type Json, testApp } from './easel-app.ts';

const { 'api-catalogue': catalogue, ...withoutCatalogue } = functionPermissions;

describe('the function permissions map', () => {
  it('must list every function of the route table, naming what it serves', () => {
    expect(() => testApp({ permissions: withoutCatalogue })).toThrow(
      /Function "api-catalogue" \(serves GET \/api\/health.*\) has no entry in infra\/function-permissions\.ts/,
    );
  });

  it('must list every queue worker', () => {
    const { 'worker-dead-letters': _, ...rest } = functionPermissions;
    expect(() => testApp({ permissions: rest })).toThrow(
      /Function "worker-dead-letters" \(consumes JobsQueue's dead-letter queue, UploadsQueue's dead-letter queue, AccountsQueue's dead-letter queue\)/,
    );
  });

  it('must not list a function nothing uses', () => {
    expect(() =>
      testApp({
        permissions: { ...functionPermissions, 'api-ghost': { memorySize: 128, timeoutSeconds: 3 } },
      }),
    ).toThrow(/lists "api-ghost", which no route and no queue uses/);
  });

  it('keeps API functions within API Gateway’s 30 seconds', () => {
    expect(() =>
      checkPermissions(apiFunctions(), {
        ...functionPermissions,
        'api-catalogue': { ...catalogue!, timeoutSeconds: 31 },
      }),
    ).toThrow(/"api-catalogue" serves HTTP routes, so its timeout \(31 s\)/);
  });

  it('gives the user pool ids to functions that verify optional tokens', () => {
    const optional: RouteDefinition = defineRoute({
      operationId: 'getImage',
      method: 'GET',
      path: '/api/images/{imageId}',
      function: 'api-images',
      auth: 'optional',
      summary: 'An image',
      tags: [],
      responses: {},
    });
    const routes = new Map([...apiFunctions(), ['api-images', [optional]]]);
    const images = { memorySize: 256, timeoutSeconds: 10 };
    expect(() => checkPermissions(routes, { ...functionPermissions, 'api-images': images })).toThrow(
      /"api-images" serves routes with optional auth .* `userPool: \[\]`/,
    );
    expect(
      checkPermissions(routes, { ...functionPermissions, 'api-images': { ...images, userPool: [] } }),
    ).toContain('api-images');
  });
});

describe('synth refuses', () => {
  it('a worker whose timeout leaves less than six times over in its queue’s visibility timeout', () => {
    const worker = queues.jobs.worker;
    const timeoutSeconds = queues.jobs.visibilityTimeoutSeconds / 6 + 1;
    expect(() =>
      testApp({
        permissions: {
          ...functionPermissions,
          [worker]: { ...functionPermissions[worker]!, timeoutSeconds },
        },
      }),
    ).toThrow(/JobsQueue hides a message for 1800 s, but its consumer "worker-jobs" may run for 301 s/);
  });

  it('a stage name that cannot name a stack', () => {
    expect(() => testApp({ stage: 'Prod_1' })).toThrow(/Stage "Prod_1" must be lower-case/);
  });
});

describe('the two stacks', () => {
  const { stateful, stateless } = testApp();

  it('are named by stage and split by lifecycle, the stateless one depending on the stateful one', () => {
    expect(stateful.stackName).toBe('Easel-dev-Stateful');
    expect(stateless.stackName).toBe('Easel-dev-Stateless');
    const assembly = (stateless.node.root as App).synth();
    const dependencies = (stackName: string) =>
      assembly.getStackByName(stackName).dependencies.map((artifact) => artifact.id);
    expect(dependencies('Easel-dev-Stateless')).toContain('Easel-dev-Stateful');
    expect(dependencies('Easel-dev-Stateful').filter((id) => id.includes('Stateless'))).toEqual([]);
  });

  it('keep every resource of the stateful stack that holds data', () => {
    const resources: Json[] = Object.values(Template.fromStack(stateful).toJSON().Resources);
    const data = resources.filter((resource) =>
      [
        'AWS::DynamoDB::GlobalTable',
        'AWS::S3::Bucket',
        'AWS::Cognito::UserPool',
        'AWS::SecretsManager::Secret',
      ].includes(resource.Type),
    );
    expect(data).toHaveLength(7);
    for (const resource of data) expect(resource.DeletionPolicy).toBe('Retain');
  });

  it('have no dependency cycle inside either template', () => {
    expect(findCycle(Template.fromStack(stateful))).toBeUndefined();
    expect(findCycle(Template.fromStack(stateless))).toBeUndefined();
  });

  it('are tagged with the app and the stage', () => {
    Template.fromStack(stateless).hasResourceProperties('AWS::SQS::Queue', {
      Tags: [
        { Key: 'app', Value: 'easel' },
        { Key: 'stage', Value: 'dev' },
      ],
    });
  });

  const domain = {
    name: 'easel.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
  };

  it('turn on termination protection for the stateful stack in production only', () => {
    expect(stateful.terminationProtection).toBe(false);
    expect(testApp({ stage: 'prod', domain }).stateful.terminationProtection).toBe(true);
  });

  it('refuse to synthesize production without its custom domain, saying what to pass', () => {
    expect(() => testApp({ stage: 'prod' })).toThrow(
      /Stage "prod" needs its custom domain: pass -c domainName=… -c certificateArn=…/,
    );
  });
});
