import { Fn, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  LogGroupLogDestination,
  type ThrottleSettings,
  WebSocketApi,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface LiveUpdatesProps {
  readonly stage: string;
  readonly throttle: ThrottleSettings;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** The stage of the WebSocket API; CloudFront rewrites `/api/live` to it. */
export const liveStageName = 'live';

/**
 * The live-updates WebSocket API: its routes ($connect, $disconnect, $default) go to one
 * function, and the functions that write job statuses post them to its connections
 * through the stage's management API (`callbackUrl`). Reached behind CloudFront at
 * `/api/live`; no authorizer (a socket opens with a single-use ticket its handler checks).
 */
export class LiveUpdates extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  /** `<api id>.execute-api.<region>.amazonaws.com`: depends on the API resource alone. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: LiveUpdatesProps) {
    super(scope, id);
    this.api = new WebSocketApi(this, 'WebSocketApi', {
      apiName: `easel-${props.stage}-live`,
      description: `Easel ${props.stage}: job changes pushed to the page`,
    });
    this.domainName = Fn.select(2, Fn.split('/', this.api.apiEndpoint));
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: liveStageName,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            connectionId: '$context.connectionId',
            status: '$context.status',
            integrationError: '$context.integrationErrorMessage',
            error: '$context.error.message',
          }),
        ),
      },
    });
  }

  /** Every route of the socket to `handler`. */
  route(routeKeys: readonly string[], handler: IFunction): void {
    const integration = new WebSocketLambdaIntegration('live-socket-integration', handler);
    for (const routeKey of routeKeys) {
      const route = this.api.addRoute(routeKey, { integration });
      NagSuppressions.addResourceSuppressions(route, [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'A socket opens with a single-use ticket from POST /api/live/ticket (which the Cognito authorizer guards), checked by the $connect handler; a token never goes in a URL.',
        },
      ]);
    }
  }
}
