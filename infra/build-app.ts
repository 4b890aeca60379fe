import { type App, Aspects, type Environment, RemovalPolicy, Tags, Token } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { SiteDomain } from './constructs/site-distribution.ts';
import { type FunctionPermissions, functionPermissions } from './function-permissions.ts';
import { EdgeStack } from './stacks/edge-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface BuildAppOptions {
  /** `dev`, `prod`, a developer's name…: part of every stack name. */
  readonly stage: string;
  readonly env?: Environment;
  /** The directory holding `functions/`, `package-lock.json` and `web/dist`. */
  readonly projectRoot: string;
  readonly domain?: SiteDomain;
  /**
   * `deploy` (the default): the built gallery goes out with the stack, and synth fails
   * when `web/dist` is not built. `skip`: the stack leaves the deployed gallery as it is;
   * for the tests and the local stack, which serve or need no gallery from the template.
   */
  readonly gallery?: 'deploy' | 'skip';
  /** An address told of every alarm (and its end); AWS asks it to confirm the subscription. */
  readonly alarmEmail?: string;
  /** A WAF rate-based rule in front of CloudFront: requests per IP address per five minutes. */
  readonly wafRateLimit?: number;
  /** Defaults to infra/function-permissions.ts. */
  readonly permissions?: Readonly<Record<string, FunctionPermissions>>;
}

export interface EaselStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  /** Only with `wafRateLimit`: the web ACL, in us-east-1. */
  readonly edge?: EdgeStack;
}

const stagePattern = /^[a-z][a-z0-9-]{0,19}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Easel's two stacks, split by lifecycle, with cdk-nag's AWS Solutions checks on both. */
export function buildApp(app: App, options: BuildAppOptions): EaselStacks {
  const { stage } = options;
  if (!stagePattern.test(stage)) {
    throw new Error(
      `Stage "${stage}" must be lower-case letters, digits and dashes, starting with a letter (≤ 20).`,
    );
  }
  if (options.alarmEmail !== undefined && !emailPattern.test(options.alarmEmail)) {
    throw new Error(
      `alarmEmail "${options.alarmEmail}" is not an e-mail address (-c alarmEmail=ops@example.com).`,
    );
  }
  const production = stage === 'prod';
  // Production answers on its own domain: its CSP, CORS origin and HSTS are about that
  // name, and a *.cloudfront.net address would change if the distribution were replaced.
  if (production && !options.domain) {
    throw new Error(
      'Stage "prod" needs its custom domain: pass -c domainName=… -c certificateArn=… (an ACM certificate in us-east-1). Use another stage name to try Easel without one.',
    );
  }

  const stateful = new StatefulStack(app, `Easel-${stage}-Stateful`, {
    env: options.env,
    description: `Easel ${stage}: table, buckets, user pool, secrets (retained)`,
    terminationProtection: production,
    stage,
    siteOrigin: options.domain && `https://${options.domain.name}`,
    threatProtection: production,
  });
  const region = options.env?.region;
  if (options.wafRateLimit !== undefined && (!region || Token.isUnresolved(region))) {
    throw new Error(
      '-c wafRateLimit needs the region of the deployment: set CDK_DEFAULT_REGION (the CDK CLI sets it from your AWS profile), since the web ACL is made in us-east-1 and read from there.',
    );
  }
  const edge =
    options.wafRateLimit === undefined
      ? undefined
      : new EdgeStack(app, `Easel-${stage}-Edge`, {
          env: { account: options.env?.account, region: 'us-east-1' },
          description: `Easel ${stage}: the web ACL in front of CloudFront (us-east-1)`,
          stage,
          rateLimit: options.wafRateLimit,
          crossRegionReferences: true,
        });
  const stateless = new StatelessStack(app, `Easel-${stage}-Stateless`, {
    env: options.env,
    // The web ACL's ARN comes from us-east-1 (through SSM, written by CDK) when the stage is elsewhere.
    crossRegionReferences: edge !== undefined,
    webAclArn: edge?.webAclArn,
    description: `Easel ${stage}: functions, queues, HTTP API, CloudFront`,
    stage,
    stateful,
    projectRoot: options.projectRoot,
    permissions: options.permissions ?? functionPermissions,
    domain: options.domain,
    gallery: options.gallery ?? 'deploy',
    alarmEmail: options.alarmEmail,
    // Production keeps its logs when the stack is replaced; other stages clean up.
    logRemovalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });

  Tags.of(app).add('app', 'easel');
  Tags.of(app).add('stage', stage);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { stateful, stateless, ...(edge ? { edge } : {}) };
}
