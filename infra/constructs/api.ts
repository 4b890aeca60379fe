import { Fn, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { type RouteDefinition, routeKey } from '../../shared/http/route.ts';

export interface ApiProps {
  readonly stage: string;
  readonly routes: readonly RouteDefinition[];
  /** The Lambda serving each function name of the route table. */
  readonly handlers: ReadonlyMap<string, IFunction>;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly throttle: ThrottleSettings;
  /** Tighter throttles of single routes, by `operationId`, in front of the stage's. */
  readonly routeThrottles?: Readonly<Record<string, ThrottleSettings>>;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The HTTP API: one route per entry of the route table, the Cognito JWT authorizer on
 * `user` routes. They require no scope: API Gateway would answer an ID token (which has
 * no scope) 403, and the contract says 401. An ID token's `aud` is the app client id, so
 * it passes the authorizer; the handlers refuse it (`token_use` is not `access`) with 401.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** `<api id>.execute-api.<region>.amazonaws.com`: depends on the API resource alone. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `easel-${props.stage}`,
      description: `Easel ${props.stage}`,
      // The stage below is the default one, with throttling and access logs.
      createDefaultStage: false,
    });
    this.domainName = Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integration.latency',
            integrationStatus: '$context.integration.status',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userId: '$context.authorizer.claims.sub',
            error: '$context.error.message',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer(
      'CognitoAuthorizer',
      `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${props.userPool.userPoolId}`,
      // Cognito access tokens carry no `aud`; API Gateway then matches `client_id` against this.
      { jwtAudience: [props.userPoolClient.userPoolClientId] },
    );

    // CfnStage.RouteSettings is untyped JSON: CloudFormation's own names, passed as they are.
    const routeSettings: Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }> = {};
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of props.routes) {
      const handler = props.handlers.get(route.function);
      if (!handler) throw new Error(`No Lambda for function "${route.function}" of route ${routeKey(route)}`);
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}-integration`, handler);
        integrations.set(route.function, integration);
      }
      const httpRoute = new HttpRoute(this, `Route-${route.operationId}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        ...(route.auth === 'user' && { authorizer }),
      });
      const throttle = props.routeThrottles?.[route.operationId];
      if (throttle) {
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
        };
        // A stage's route settings name routes that must exist first.
        this.stage.node.addDependency(httpRoute);
      }
      if (route.auth !== 'user') {
        NagSuppressions.addResourceSuppressions(httpRoute, [
          {
            id: 'AwsSolutions-APIG4',
            reason:
              route.auth === 'public'
                ? `${routeKey(route)} is public in the API contract (shared/http/routes.ts).`
                : `${routeKey(route)} personalises when a token is sent; an HTTP API authorizer cannot be optional, so its handler verifies the token itself (aws-jwt-verify).`,
          },
        ]);
      }
    }
    const unknown = Object.keys(props.routeThrottles ?? {}).filter(
      (operationId) => !props.routes.some((route) => route.operationId === operationId),
    );
    if (unknown.length > 0)
      throw new Error(`Throttles for routes the API does not have: ${unknown.join(', ')}`);
    if (Object.keys(routeSettings).length > 0) {
      (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    }
  }
}
