import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type EaselStacks } from '../../infra/build-app.ts';
import { cacheKey, cachePolicyOfBehaviour, retentionOf } from '../../scripts/edge/cloudfront-cache.ts';
import { apiDocsContentSecurityPolicy } from '../../shared/http/api-docs.ts';
import { privateNoStore, sharedCacheControl, sharedCaches } from '../../shared/http/cache-control.ts';
import { originVerifyHeader } from '../../shared/http/origin-verify.ts';
import { cdkContext, findCycle, type Json, logicalId, stubProject, testApp } from './easel-app.ts';

/** CloudFront's managed policies, by the ids AWS publishes. */
const managed = {
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
};

describe('the distribution', () => {
  let stacks: EaselStacks;
  let template: Template;
  let config: Json;
  let origins: Json;

  beforeAll(() => {
    stacks = testApp();
    template = Template.fromStack(stacks.stateless);
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!;
    config = distribution.Properties.DistributionConfig;
    origins = Object.fromEntries(config.Origins.map((origin: { Id: string }) => [origin.Id, origin]));
  });

  const behaviour = (pattern?: string) =>
    pattern
      ? config.CacheBehaviors.find((candidate: { PathPattern: string }) => candidate.PathPattern === pattern)
      : config.DefaultCacheBehavior;
  const bucketOf = (origin: Json) =>
    origin.DomainName['Fn::Join'][1][0]['Fn::GetStackOutput'].OutputName as string;

  it('has the gallery as default behaviour and /api/live, /api/docs, /api/*, /s/* and /img/* besides, the narrow ones before /api/*', () => {
    const patterns = config.CacheBehaviors.map((candidate: { PathPattern: string }) => candidate.PathPattern);
    expect([...patterns].sort()).toEqual(['/api/*', '/api/docs', '/api/live', '/img/*', '/s/*']);
    // CloudFront takes the first behaviour whose pattern matches.
    expect(patterns.indexOf('/api/live')).toBeLessThan(patterns.indexOf('/api/*'));
    expect(patterns.indexOf('/api/docs')).toBeLessThan(patterns.indexOf('/api/*'));
    expect(config.DefaultRootObject).toBe('index.html');
  });

  it('serves the gallery from the web bucket through origin access control', () => {
    const origin = origins[behaviour().TargetOriginId];
    expect(bucketOf(origin)).toMatch(/WebBucket/);
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(behaviour().CachePolicyId).toBe(managed.cachingOptimized);
  });

  it('rewrites client-side routes to /index.html without custom error pages, which would hide API 404s', () => {
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(behaviour().FunctionAssociations).toEqual([
      {
        EventType: 'viewer-request',
        FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/SpaRewrite/), 'FunctionARN'] },
      },
    ]);
  });

  it('sends /api/* with every method and the viewer request minus Host to the HTTP API over TLS 1.2', () => {
    const api = behaviour('/api/*');
    expect(api).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: { Ref: expect.stringMatching(/ApiCachePolicy/) },
      OriginRequestPolicyId: managed.allViewerExceptHostHeader,
    });
    const origin = origins[api.TargetOriginId];
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(origin.DomainName).toEqual({
      'Fn::Select': [
        2,
        { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(stacks.stateless.api.httpApi), 'ApiEndpoint'] }] },
      ],
    });
  });

  describe('the /api/* cache policy', () => {
    const policy = () => cachePolicyOfBehaviour(template.toJSON() as { Resources: Json }, '/api/*');
    const request = (url: string, headers: Record<string, string> = {}) => ({ method: 'GET', url, headers });
    const anonymousGallery = sharedCacheControl(sharedCaches.live);

    it('keeps nothing the API does not say it may: no TTL of its own, the origin’s Cache-Control decides', () => {
      expect(policy()).toMatchObject({ minTtl: 0, defaultTtl: 0 });
      expect(retentionOf(policy(), 200, undefined).seconds).toBe(0);
      expect(retentionOf(policy(), 200, privateNoStore).seconds).toBe(0);
    });

    it('keeps an anonymous gallery page for its s-maxage and lets it be served stale while it revalidates', () => {
      expect(retentionOf(policy(), 200, anonymousGallery)).toEqual({
        seconds: sharedCaches.live.sharedMaxAge,
        staleWhileRevalidate: sharedCaches.live.staleWhileRevalidate,
      });
      // The deployment-long answers (styles, config) fit under the policy's maximum too.
      expect(retentionOf(policy(), 200, sharedCacheControl(sharedCaches.deployment)).seconds).toBe(
        sharedCaches.deployment.sharedMaxAge,
      );
    });

    it('never keeps an error the API marks private, nor a POST', () => {
      expect(retentionOf(policy(), 404, privateNoStore).seconds).toBe(0);
      expect(retentionOf(policy(), 401, privateNoStore).seconds).toBe(0);
      expect(cacheKey(policy(), { ...request('/api/gallery'), method: 'POST' })).toBeUndefined();
    });

    it('puts the Authorization header in the key, so one token’s answer can never reach another caller', () => {
      expect(policy().headers).toContain('authorization');
      const ada = cacheKey(policy(), request('/api/gallery', { authorization: 'Bearer ada' }));
      const bob = cacheKey(policy(), request('/api/gallery', { authorization: 'Bearer bob' }));
      const anonymous = cacheKey(policy(), request('/api/gallery'));
      expect(new Set([ada, bob, anonymous]).size).toBe(3);
    });

    it('puts every cookie in the key, so a session cookie’s answer can never reach another caller', () => {
      expect(policy().cookies).toBe('all');
      const one = cacheKey(policy(), request('/api/auth/refresh', { cookie: 'easel_refresh=one' }));
      const two = cacheKey(policy(), request('/api/auth/refresh', { cookie: 'easel_refresh=two' }));
      expect(one).not.toBe(two);
    });

    it('shares one entry between anonymous callers of the same page, and none between pages or searches', () => {
      expect(policy().queryStrings).toBe('all');
      const key = (url: string) => cacheKey(policy(), request(url, { 'user-agent': String(Math.random()) }));
      expect(key('/api/gallery?limit=20')).toBe(key('/api/gallery?limit=20'));
      expect(key('/api/gallery?q=cat')).not.toBe(key('/api/gallery?q=dog'));
      expect(key('/api/gallery?cursor=a')).not.toBe(key('/api/gallery?cursor=b'));
    });
  });

  it('serves /img/<key> as the object img/<key> of the image bucket, cached for a year', () => {
    const images = behaviour('/img/*');
    const origin = origins[images.TargetOriginId];
    expect(bucketOf(origin)).toMatch(/ImageBucket/);
    expect(origin.OriginPath).toBeUndefined();
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(images.AllowedMethods).toBeUndefined();
    const policy = template.toJSON().Resources[images.CachePolicyId.Ref];
    expect(policy.Properties.CachePolicyConfig).toMatchObject({ DefaultTTL: 31536000, MaxTTL: 31536000 });
  });

  const headersOf = (candidate: Json) =>
    template.toJSON().Resources[candidate.ResponseHeadersPolicyId.Ref].Properties.ResponseHeadersPolicyConfig;

  it('redirects HTTP to HTTPS and adds HSTS and the security headers on every behaviour', () => {
    for (const candidate of [behaviour(), behaviour('/api/*'), behaviour('/img/*')]) {
      expect(candidate.ViewerProtocolPolicy).toBe('redirect-to-https');
      const { SecurityHeadersConfig: security, CustomHeadersConfig: custom } = headersOf(candidate);
      expect(security).toMatchObject({
        StrictTransportSecurity: {
          AccessControlMaxAgeSec: 63072000,
          IncludeSubdomains: true,
          Override: true,
        },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
      });
      expect(custom.Items.map((item: { Header: string }) => item.Header).sort()).toEqual([
        'Cross-Origin-Opener-Policy',
        'Permissions-Policy',
      ]);
    }
  });

  it('sends the gallery a Content-Security-Policy that allows its own origin and the image bucket’s S3 host only', () => {
    const csp = headersOf(behaviour()).SecurityHeadersConfig.ContentSecurityPolicy;
    expect(csp.Override).toBe(true);
    // The join rendered with placeholders for the stateful stack's bucket name and the region.
    const policy = (csp.ContentSecurityPolicy['Fn::Join'][1] as unknown[])
      .map((part) => {
        if (typeof part === 'string') return part;
        const text = JSON.stringify(part);
        if (/GetStackOutput.*ImageBucket/.test(text)) return '<bucket>';
        if (text === '{"Ref":"AWS::Region"}') return '<region>';
        if (text === '{"Ref":"AWS::URLSuffix"}') return 'amazonaws.com';
        return text;
      })
      .join('');
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("img-src 'self' blob: data: https://<bucket>.s3.<region>.amazonaws.com;");
    expect(policy).toContain("connect-src 'self' https://<bucket>.s3.<region>.amazonaws.com;");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('127.0.0.1');
    expect(policy).not.toContain('*.amazonaws.com');
  });

  it('sends shared links, /s/*, to the API origin (with its origin secret) exactly as /api/*', () => {
    const links = behaviour('/s/*');
    const api = behaviour('/api/*');
    expect(links.TargetOriginId).toBe(api.TargetOriginId);
    const { PathPattern: _links, ...linkSettings } = links;
    const { PathPattern: _api, ...apiSettings } = api;
    expect(linkSettings).toEqual(apiSettings);
    expect(
      origins[links.TargetOriginId].OriginCustomHeaders.map((h: { HeaderName: string }) => h.HeaderName),
    ).toEqual([originVerifyHeader]);
  });

  it('lets nothing load from API answers and images', () => {
    for (const candidate of [behaviour('/api/*'), behaviour('/img/*')]) {
      expect(headersOf(candidate).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    }
  });

  it('sends /api/docs, the rendered reference, to the API uncached, with a policy of its own that runs same-origin scripts only', () => {
    const docs = behaviour('/api/docs');
    expect(docs.TargetOriginId).toBe(behaviour('/api/*').TargetOriginId);
    expect(docs.CachePolicyId).toBe(managed.cachingDisabled);
    const policy = headersOf(docs).SecurityHeadersConfig.ContentSecurityPolicy;
    expect(policy.ContentSecurityPolicy).toBe(apiDocsContentSecurityPolicy);
    expect(policy.ContentSecurityPolicy).toContain("default-src 'none'");
    expect(policy.ContentSecurityPolicy).toContain("script-src 'self'");
    expect(policy.ContentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(policy.ContentSecurityPolicy).not.toMatch(/unsafe|\*/);
    expect(policy.Override).toBe(true);
  });

  it('sends the API the stack’s origin secret in a header, by a reference CloudFormation resolves', () => {
    const origin = origins[behaviour('/api/*').TargetOriginId];
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
  });

  it('gives every API function and the live-updates socket, and no worker, the origin secret to check', () => {
    const resources = template.toJSON().Resources;
    for (const [name, fn] of stacks.stateless.functions) {
      const variables = resources[logicalId(fn.lambda)].Properties.Environment.Variables;
      if (name.startsWith('api-') || name === 'live-socket') {
        expect(variables.ORIGIN_SECRET_ID, name).toEqual({ Ref: logicalId(stacks.stateless.originSecret) });
      } else {
        expect(variables.ORIGIN_SECRET_ID, name).toBeUndefined();
      }
    }
  });

  it('logs to the log bucket', () => {
    expect(config.Logging.Prefix).toBe('cloudfront/');
    expect(JSON.stringify(config.Logging.Bucket)).toMatch(/LogBucket/);
  });

  it('gives CDN_BASE_URL = https://<distribution domain> to the functions that ask for it, and to them only', () => {
    const environment = (name: string) =>
      template.toJSON().Resources[logicalId(stacks.stateless.functions.get(name)!.lambda)].Properties
        .Environment.Variables;
    expect(environment('api-gallery').CDN_BASE_URL).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [logicalId(stacks.stateless.site.distribution), 'DomainName'] }],
      ],
    });
    expect(environment('api-catalogue').CDN_BASE_URL).toBeUndefined();
  });

  it('lets exactly the functions that remove public copies invalidate it, on this distribution alone', () => {
    const distributionId = logicalId(stacks.stateless.site.distribution);
    const invalidators = new Set<string>();
    for (const [name, fn] of stacks.stateless.functions) {
      const roleId = logicalId(fn.role);
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      const grants = statements.filter((statement) =>
        [statement.Action].flat().some((action: string) => action.startsWith('cloudfront:')),
      );
      const variables = template.toJSON().Resources[logicalId(fn.lambda)].Properties.Environment.Variables;
      if (grants.length === 0) {
        expect(variables.DISTRIBUTION_ID, name).toBeUndefined();
        continue;
      }
      invalidators.add(name);
      expect(variables.DISTRIBUTION_ID).toEqual({ Ref: distributionId });
      for (const grant of grants) {
        expect(grant.Action).toBe('cloudfront:CreateInvalidation');
        const resource = JSON.stringify(grant.Resource);
        expect(resource).toContain(`"Ref":"${distributionId}"`);
        expect(resource).toContain(':distribution/');
        expect(resource).not.toContain('*');
      }
    }
    expect([...invalidators].sort()).toEqual([
      'api-characters',
      'api-images',
      'worker-accounts',
      'worker-jobs',
    ]);
  });

  it('depends on the API resource only, so functions may depend on it without a cycle', () => {
    expect(findCycle(template)).toBeUndefined();
  });

  it('outputs the site and API URLs and the queue URLs, and not the execute-api URL, which refuses requests', () => {
    for (const name of ['SiteUrl', 'ApiUrl', 'JobsQueueUrl', 'UploadsQueueUrl', 'JobsDeadLetterQueueUrl']) {
      template.hasOutput(name, {});
    }
    expect(template.toJSON().Outputs.ApiGatewayUrl).toBeUndefined();
  });

  it('deploys no gallery when told to skip it', () => {
    expect(template.findResources('Custom::CDKBucketDeployment')).toEqual({});
  });
});

describe('deploying the gallery', () => {
  it('refuses to synthesize when the gallery is to be deployed but is not built, and says what to run', () => {
    const projectRoot = stubProject();
    const app = new App({
      outdir: path.join(projectRoot, 'cdk.out'),
      context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
    });
    expect(() => buildApp(app, { stage: 'dev', projectRoot })).toThrow(
      /The gallery is not built .*npm run build:web.*-c gallery=skip/,
    );
  });

  it('invalidates every file outside the content-hashed assets/, and nothing else', () => {
    const projectRoot = stubProject({ gallery: true });
    mkdirSync(path.join(projectRoot, 'web', 'dist', 'icons'));
    writeFileSync(path.join(projectRoot, 'web', 'dist', 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(projectRoot, 'web', 'dist', 'icons', 'app.png'), 'png');
    const app = new App({
      outdir: path.join(projectRoot, 'cdk.out'),
      context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
    });
    const { stateless } = buildApp(app, { stage: 'dev', projectRoot });
    Template.fromStack(stateless).hasResourceProperties('Custom::CDKBucketDeployment', {
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/favicon.svg', '/icons/app.png', '/index.html'],
    });
  });
});

describe('with a custom domain and a built gallery', () => {
  let stacks: EaselStacks;
  let template: Template;

  beforeAll(() => {
    stacks = testApp({
      gallery: true,
      domain: {
        name: 'easel.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      },
    });
    template = Template.fromStack(stacks.stateless);
  });

  it('answers on the domain with TLS 1.2 or newer', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['easel.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
  });

  it('builds public image URLs on the domain', () => {
    const gallery =
      template.toJSON().Resources[logicalId(stacks.stateless.functions.get('api-gallery')!.lambda)];
    expect(gallery.Properties.Environment.Variables.CDN_BASE_URL).toBe('https://easel.example.com');
  });

  it('deploys hashed assets for a year and index.html uncached, then invalidates /index.html only', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(2);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      DestinationBucketKeyPrefix: 'assets/',
      Prune: false,
    });
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: { Ref: logicalId(stacks.stateless.site.distribution) },
      DistributionPaths: ['/index.html'],
    });
    expect(findCycle(template)).toBeUndefined();
  });
});
