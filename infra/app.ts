import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.ts';

const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key);

const domainName = context('domainName');
const certificateArn = context('certificateArn');
if (Boolean(domainName) !== Boolean(certificateArn)) {
  throw new Error(
    'Pass both -c domainName=… and -c certificateArn=… (an ACM certificate in us-east-1), or neither.',
  );
}

const wafRateLimit = context('wafRateLimit');
const gallery = context('gallery') ?? 'deploy';
if (gallery !== 'deploy' && gallery !== 'skip') {
  throw new Error(`-c gallery=${gallery}: use "deploy" (the default) or "skip".`);
}

buildApp(app, {
  wafRateLimit: wafRateLimit === undefined ? undefined : Number(wafRateLimit),
  stage: context('stage') ?? 'dev',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  projectRoot: path.resolve(import.meta.dirname, '..'),
  domain: domainName && certificateArn ? { name: domainName, certificateArn } : undefined,
  alarmEmail: context('alarmEmail'),
  gallery,
});
