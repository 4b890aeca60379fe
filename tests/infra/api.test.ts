import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../infra/constructs/api.ts';
import { defineRoute, type RouteDefinition, routeKey } from '../../shared/http/route.ts';
import { apiFunctions, routeList } from '../../shared/http/routes.ts';
import { cdkContext, type Json, logicalId, scratchDir, testApp } from './easel-app.ts';

describe('the HTTP API of the stateless stack', () => {
  let template: Template;
  let integrationByFunction: Map<string, string>;
  let httpIntegrations: Record<string, Json>;
  /** Resources of the HTTP API, not of the live-updates WebSocket API. */
  let onHttpApi: { Properties: { ApiId: { Ref: string } } };

  beforeAll(() => {
    const { stateless } = testApp();
    template = Template.fromStack(stateless);
    // The live-updates WebSocket API has integrations of its own (see live-updates.test.ts).
    onHttpApi = { Properties: { ApiId: { Ref: logicalId(stateless.api.httpApi) } } };
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration', onHttpApi);
    httpIntegrations = integrations;
    integrationByFunction = new Map(
      [...apiFunctions().keys()].map((name) => {
        const functionId = logicalId(stateless.functions.get(name)!.lambda);
        const [id] = Object.entries(integrations).find(
          ([, integration]) => integration.Properties.IntegrationUri['Fn::GetAtt'][0] === functionId,
        )!;
        return [name, id];
      }),
    );
  });

  it('has one Lambda proxy integration per function of the route table', () => {
    expect(Object.keys(httpIntegrations)).toHaveLength(apiFunctions().size);
    for (const integration of Object.values(httpIntegrations)) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
  });

  it.each(routeList.map((route) => [routeKey(route), route] as const))(
    '%s exists, served by its function, with the authorizer its auth asks for',
    (key, route) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: route.auth === 'user' ? 'JWT' : 'NONE',
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationByFunction.get(route.function) }]] },
      });
    },
  );

  it('guards every protected route with the JWT authorizer and no scope, so the product answers an ID token 401', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', onHttpApi));
    const byKey = new Map(routes.map((resource) => [resource.Properties.RouteKey, resource.Properties]));
    const protectedRoutes = routeList.filter((route) => route.auth === 'user');
    expect(protectedRoutes.length).toBeGreaterThan(0);
    for (const route of protectedRoutes) {
      const properties = byKey.get(routeKey(route));
      expect(properties?.AuthorizationType, routeKey(route)).toBe('JWT');
      // A required scope would make API Gateway answer an ID token 403, where the contract says 401.
      expect(properties?.AuthorizationScopes, routeKey(route)).toBeUndefined();
    }
  });

  it('gives no public or optional route an authorizer or scopes', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', onHttpApi));
    const byKey = new Map(routes.map((resource) => [resource.Properties.RouteKey, resource.Properties]));
    for (const route of routeList.filter((route) => route.auth !== 'user')) {
      const properties = byKey.get(routeKey(route));
      expect(properties, routeKey(route)).toBeDefined();
      expect(properties.AuthorizationType, routeKey(route)).toBe('NONE');
      expect(properties.AuthorizerId, routeKey(route)).toBeUndefined();
      expect(properties.AuthorizationScopes, routeKey(route)).toBeUndefined();
    }
  });

  it('has no route the route table does not list', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route', onHttpApi)).map(
      (route) => route.Properties.RouteKey,
    );
    expect(keys.sort()).toEqual(routeList.map(routeKey).sort());
  });

  it('throttles the default stage and writes JSON access logs to a log group kept for a month', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage', onHttpApi))[0]!;
    expect(() => JSON.parse(stage.Properties.AccessLogSettings.Format)).not.toThrow();
    const logGroupId = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
  });

  it('throttles each public account route on its own, tighter than the stage, once the route exists', () => {
    const [stageId, stage] = Object.entries(
      template.findResources('AWS::ApiGatewayV2::Stage', onHttpApi),
    )[0]!;
    const settings = stage.Properties.RouteSettings as Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    >;
    const publicAuthRoutes = routeList
      .filter((route) => route.path.startsWith('/api/auth/') && route.auth === 'public')
      .map(routeKey);
    expect(Object.keys(settings).sort()).toEqual(publicAuthRoutes.sort());
    const stageRate = stage.Properties.DefaultRouteSettings.ThrottlingRateLimit;
    for (const key of publicAuthRoutes) {
      expect(settings[key]!.ThrottlingRateLimit).toBeLessThan(stageRate);
      expect(settings[key]!.ThrottlingBurstLimit).toBeGreaterThanOrEqual(settings[key]!.ThrottlingRateLimit);
    }
    // The routes that make Cognito send an e-mail are the tightest.
    expect(settings['POST /api/auth/signup']!.ThrottlingRateLimit).toBeLessThanOrEqual(
      settings['POST /api/auth/login']!.ThrottlingRateLimit,
    );
    const routes = template.findResources('AWS::ApiGatewayV2::Route', onHttpApi);
    const throttledRouteIds = Object.entries(routes)
      .filter(([, route]) => publicAuthRoutes.includes(route.Properties.RouteKey))
      .map(([id]) => id);
    expect([template.toJSON().Resources[stageId].DependsOn].flat()).toEqual(
      expect.arrayContaining(throttledRouteIds),
    );
  });
});

describe('the Api construct', () => {
  const route = (
    operationId: string,
    method: RouteDefinition['method'],
    path: string,
    auth: RouteDefinition['auth'],
  ) =>
    defineRoute({
      operationId,
      method,
      path,
      auth,
      function: 'api-things',
      summary: operationId,
      tags: [],
      responses: {},
    });
  const routes = [
    route('listThings', 'GET', '/api/things', 'user'),
    route('getThing', 'GET', '/api/things/{thingId}', 'optional'),
    route('getHealth', 'GET', '/api/health', 'public'),
  ];
  let template: Template;
  let pool: UserPool;
  let stack: Stack;

  beforeAll(() => {
    stack = new Stack(new App({ context: cdkContext, outdir: scratchDir() }), 'ApiTest');
    pool = new UserPool(stack, 'Pool');
    const client = pool.addClient('Client');
    const handler = new LambdaFunction(stack, 'Handler', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
    });
    new Api(stack, 'Api', {
      stage: 'test',
      routes,
      handlers: new Map([['api-things', handler]]),
      userPool: pool,
      userPoolClient: client,
      throttle: { rateLimit: 10, burstLimit: 20 },
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    template = Template.fromStack(stack);
  });

  it('guards user routes with a JWT authorizer for the pool and its client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(pool.node.findChild('Client')) }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: logicalId(pool) },
            ],
          ],
        },
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /api/things',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: Match.stringLikeRegexp('CognitoAuthorizer') },
      AuthorizationScopes: Match.absent(),
    });
  });

  it('leaves optional and public routes without an authorizer', () => {
    for (const key of ['GET /api/things/{thingId}', 'GET /api/health']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
        AuthorizationScopes: Match.absent(),
      });
    }
  });

  it('refuses a route whose function has no Lambda', () => {
    const other = new Stack(new App({ outdir: scratchDir() }), 'Broken');
    const otherPool = new UserPool(other, 'Pool');
    expect(
      () =>
        new Api(other, 'Api', {
          stage: 'test',
          routes,
          handlers: new Map(),
          userPool: otherPool,
          userPoolClient: otherPool.addClient('Client'),
          throttle: {},
          logRemovalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow(/No Lambda for function "api-things"/);
  });
});
