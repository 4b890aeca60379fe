import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EaselStacks } from '../../infra/build-app.ts';
import { functionPermissions } from '../../infra/function-permissions.ts';
import { originVerifyHeader } from '../../shared/http/origin-verify.ts';
import { liveSocketRoutes } from '../../shared/http/routes.ts';
import { type Json, logicalId, testApp } from './easel-app.ts';

const managed = { cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' };

describe('the live-updates WebSocket API', () => {
  let stacks: EaselStacks;
  let template: Template;
  let resources: Json;
  let apiId: string;

  beforeAll(() => {
    stacks = testApp();
    template = Template.fromStack(stacks.stateless);
    resources = template.toJSON().Resources;
    apiId = logicalId(stacks.stateless.live.api);
  });

  const ofSocket = (type: string) =>
    Object.values(template.findResources(type, { Properties: { ApiId: { Ref: apiId } } }));

  it('is a WebSocket API whose $connect, $disconnect and $default routes all go to live-socket, with no authorizer', () => {
    expect(resources[apiId].Properties).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const routes = ofSocket('AWS::ApiGatewayV2::Route');
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      '$connect',
      '$default',
      '$disconnect',
    ]);
    const socketFunction = logicalId(stacks.stateless.functions.get(liveSocketRoutes.function)!.lambda);
    for (const route of routes) {
      expect(route.Properties.AuthorizationType).toBe('NONE');
      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
      expect(resources[integrationId].Properties.IntegrationType).toBe('AWS_PROXY');
      expect(JSON.stringify(resources[integrationId].Properties.IntegrationUri)).toContain(socketFunction);
    }
  });

  it('has one auto-deployed, throttled stage with JSON access logs', () => {
    const [stage] = ofSocket('AWS::ApiGatewayV2::Stage');
    expect(stage!.Properties).toMatchObject({ StageName: 'live', AutoDeploy: true });
    expect(stage!.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(() => JSON.parse(stage!.Properties.AccessLogSettings.Format)).not.toThrow();
  });

  it('is served by CloudFront at /api/live, before /api/*, from its stage, with the origin secret', () => {
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!;
    const config = distribution.Properties.DistributionConfig;
    const patterns = config.CacheBehaviors.map((behaviour: { PathPattern: string }) => behaviour.PathPattern);
    expect(patterns.indexOf('/api/live')).toBeGreaterThanOrEqual(0);
    expect(patterns.indexOf('/api/live')).toBeLessThan(patterns.indexOf('/api/*'));
    const behaviour = config.CacheBehaviors[patterns.indexOf('/api/live')];
    expect(behaviour.CachePolicyId).toBe(managed.cachingDisabled);
    expect(behaviour.ViewerProtocolPolicy).toBe('https-only');
    const origin = config.Origins.find(
      (candidate: { Id: string }) => candidate.Id === behaviour.TargetOriginId,
    );
    expect(origin.DomainName).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }] }],
    });
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(origin.OriginCustomHeaders).toEqual([
      {
        HeaderName: originVerifyHeader,
        HeaderValue: {
          'Fn::Join': [
            '',
            [
              '{{resolve:secretsmanager:',
              { Ref: logicalId(stacks.stateless.originSecret) },
              ':SecretString:::}}',
            ],
          ],
        },
      },
    ]);
    // A WebSocket API answers on /<stage>: the viewer request is rewritten to it.
    const [association] = behaviour.FunctionAssociations;
    expect(association.EventType).toBe('viewer-request');
    const code = resources[association.FunctionARN['Fn::GetAtt'][0]].Properties.FunctionCode as string;
    expect(code).toContain("event.request.uri = '/live'");
  });

  it('grants ManageConnections on its stage’s @connections alone, to exactly the functions that post job changes', () => {
    const posters = Object.entries(functionPermissions)
      .filter(([, spec]) => spec.postsJobChanges)
      .map(([name]) => name)
      .sort();
    expect(posters).toEqual([
      'api-characters',
      'api-edits',
      'api-generations',
      'api-images',
      'api-uploads',
      'worker-dead-letters',
      'worker-jobs',
      'worker-uploads',
    ]);
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    for (const [name, fn] of stacks.stateless.functions) {
      const roleId = logicalId(fn.role);
      const statements = policies
        .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      const grants = statements.filter((statement) =>
        [statement.Action].flat().some((a: string) => a.startsWith('execute-api:')),
      );
      if (!posters.includes(name)) {
        expect(grants, name).toEqual([]);
        expect(fn.boundVariables.has('LIVE_CONNECTIONS_URL'), name).toBe(false);
        continue;
      }
      expect(grants, name).toHaveLength(1);
      expect(grants[0]!.Action).toBe('execute-api:ManageConnections');
      const resource = JSON.stringify(grants[0]!.Resource);
      expect(resource).toContain(`{"Ref":"${apiId}"}`);
      expect(resource).toMatch(/\/live\/\*\/@connections\/\*"\]\]\}$/);
      const variables = resources[logicalId(fn.lambda)].Properties.Environment.Variables;
      expect(JSON.stringify(variables.LIVE_CONNECTIONS_URL)).toContain(`{"Ref":"${apiId}"}`);
      expect(JSON.stringify(variables.LIVE_CONNECTIONS_URL)).toMatch(/\/live"\]\]\}$/);
    }
  });
});
