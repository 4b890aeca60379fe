import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface EdgeStackProps extends StackProps {
  readonly stage: string;
  /** Requests one IP address may send in any five minutes before it is refused. */
  readonly rateLimit: number;
}

/** WAF's smallest rate-based limit. */
export const minimumWafRateLimit = 10;

/**
 * The web ACL in front of CloudFront. WAF takes CloudFront's web ACLs in us-east-1 only, so
 * it lives in a stack of its own there; the stateless stack reads its ARN across regions.
 * One rate-based rule: an address past the limit gets 429 until its rate falls below it.
 */
export class EdgeStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    if (!Number.isInteger(props.rateLimit) || props.rateLimit < minimumWafRateLimit) {
      throw new Error(
        `-c wafRateLimit=${props.rateLimit}: give a whole number of requests per IP address per five minutes, at least ${minimumWafRateLimit}.`,
      );
    }
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: `easel-${props.stage}-${name}`,
      sampledRequestsEnabled: true,
    });
    const acl = new CfnWebACL(this, 'WebAcl', {
      name: `easel-${props.stage}`,
      description: `Easel ${props.stage}: requests per IP address in front of CloudFront`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: {
              code: 'RATE_LIMITED',
              message: 'Too many requests from your address; try again in a few minutes.',
            },
          }),
        },
      },
      rules: [
        {
          name: 'RequestsPerAddress',
          priority: 0,
          statement: {
            rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rateLimited',
                responseHeaders: [{ name: 'retry-after', value: '300' }],
              },
            },
          },
          visibilityConfig: metric('requests-per-address'),
        },
      ],
    });
    this.webAclArn = acl.attrArn;
    new CfnOutput(this, 'WebAclArn', { value: acl.attrArn });
  }
}
