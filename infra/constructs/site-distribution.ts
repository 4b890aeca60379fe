import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { apiDocsContentSecurityPolicy } from '../../shared/http/api-docs.ts';
import { sharedCaches } from '../../shared/http/cache-control.ts';
import { originVerifyHeader } from '../../shared/http/origin-verify.ts';
import { galleryContentSecurityPolicy } from '../../web/build/content-security-policy.ts';

/** Public image variants live under this prefix of the image bucket; CloudFront serves them at `/img/*`. */
export const publicImagePrefix = 'img/';

/** Shared links of images, served by the API: `/s/<imageId>`. */
export const sharedLinkPrefix = '/s/';

/** A custom domain for the site; its certificate must be in us-east-1 (CloudFront's region). */
export interface SiteDomain {
  readonly name: string;
  readonly certificateArn: string;
}

export interface SiteDistributionProps {
  readonly webBucket: IBucket;
  readonly imageBucket: IBucket;
  readonly logBucket: IBucket;
  /** The HTTP API's execute-api domain. */
  readonly apiDomainName: string;
  /** Sent to the API with every request (`originVerifyHeader`), so it can refuse those that bypass CloudFront. */
  readonly apiOriginSecret: ISecret;
  /** The live-updates WebSocket API: its execute-api domain and stage, served at `path`. */
  readonly live: { readonly domainName: string; readonly stageName: string; readonly path: string };
  readonly domain?: SiteDomain;
  /** A WAF web ACL (scope CLOUDFRONT, so in us-east-1) in front of everything. */
  readonly webAclArn?: string;
  /** The built gallery (`web/dist`) to deploy; synth fails when it is not built. Without it, none is deployed. */
  readonly webDist?: string;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * Serves a path without a file extension as /index.html, so the gallery's client-side
 * routes load. Custom error responses would do it too, but they apply to every
 * behaviour and would turn the API's JSON 404s into the gallery page.
 */
const spaRewrite = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** One origin for the gallery (/), the API (/api/*) and the public images (/img/*). */
export class SiteDistribution extends Construct {
  readonly distribution: Distribution;
  /** `https://<domain>`, no trailing slash. */
  readonly url: string;
  private readonly webBucket: IBucket;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);
    this.webBucket = props.webBucket;

    const webOrigin = S3BucketOrigin.withOriginAccessControl(props.webBucket);
    const imageOrigin = S3BucketOrigin.withOriginAccessControl(props.imageBucket);
    const apiOrigin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // A dynamic reference: CloudFormation resolves it at deploy, so the template never holds the value.
      customHeaders: {
        [originVerifyHeader]: props.apiOriginSecret.secretValue.unsafeUnwrap(),
      },
    });

    // The same secret reaches the socket's $connect, whose handler refuses an upgrade without it.
    const liveOrigin = new HttpOrigin(props.live.domainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      customHeaders: {
        [originVerifyHeader]: props.apiOriginSecret.secretValue.unsafeUnwrap(),
      },
    });
    // A WebSocket API answers on /<stage> alone; CloudFront would send the viewer's path after it.
    const liveRewrite = new EdgeFunction(this, 'LiveRewrite', {
      code: FunctionCode.fromInline(
        `function handler(event) {\n  event.request.uri = '/${props.live.stageName}';\n  return event.request;\n}`,
      ),
    });

    // Public variants are immutable objects under fresh keys, so a year of caching is safe.
    const imageCachePolicy = new CachePolicy(this, 'PublicImageCachePolicy', {
      comment: 'Easel public images: immutable, cached for a year',
      defaultTtl: Duration.days(365),
      maxTtl: Duration.days(365),
      minTtl: Duration.seconds(0),
      enableAcceptEncodingGzip: false,
      enableAcceptEncodingBrotli: false,
    });
    // The API decides (shared/http/cache-control.ts): an anonymous public read says how long it
    // may be kept, everything else is private, no-store, and an answer without Cache-Control
    // is not kept (default TTL 0). The token and every cookie are in the key as well, so even
    // an answer wrongly marked public could only reach the same token and cookies again.
    const apiCachePolicy = new CachePolicy(this, 'ApiCachePolicy', {
      comment: 'Easel API: the origin Cache-Control decides; Authorization and cookies in the key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(Math.max(...Object.values(sharedCaches).map((cache) => cache.sharedMaxAge))),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      cookieBehavior: CacheCookieBehavior.all(),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const galleryHeaders = securityHeadersPolicy(this, 'GalleryHeaders', {
      comment: 'Easel gallery: security headers and its Content-Security-Policy',
      contentSecurityPolicy: galleryContentSecurityPolicy(
        [`https://${props.imageBucket.bucketRegionalDomainName}`],
        { frameAncestors: true },
      ),
    });
    // JSON and images: nothing in them may load anything, nor be framed.
    const resourceHeaders = securityHeadersPolicy(this, 'ResourceHeaders', {
      comment: 'Easel API and public images: security headers, nothing loads',
      contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
    });
    // The rendered API reference is a page: it runs Swagger UI's scripts from the gallery's files.
    const apiDocsHeaders = securityHeadersPolicy(this, 'ApiDocsHeaders', {
      comment: 'Easel API reference: security headers, only same-origin scripts and styles',
      contentSecurityPolicy: apiDocsContentSecurityPolicy,
    });

    const apiBehaviour = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: apiCachePolicy,
      // The API's own Host header must reach it; everything else the viewer sent is passed on.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: resourceHeaders,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Easel: gallery, /api, /s and /img',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn && { webAclId: props.webAclArn }),
      ...(props.domain && {
        domainNames: [props.domain.name],
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      defaultBehavior: {
        origin: webOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: galleryHeaders,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new EdgeFunction(this, 'SpaRewrite', { code: FunctionCode.fromInline(spaRewrite) }),
          },
        ],
      },
      additionalBehaviors: {
        // Before /api/*: CloudFront takes the first pattern that matches. It passes WebSocket upgrades on.
        [props.live.path]: {
          origin: liveOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // The ticket (query) and the Sec-WebSocket-* headers reach API Gateway; its own Host stays.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: liveRewrite }],
        },
        '/api/docs': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: apiDocsHeaders,
        },
        '/api/*': apiBehaviour,
        // Shared links (`/s/<imageId>`): pages the API makes for link previews.
        [`${sharedLinkPrefix}*`]: apiBehaviour,
        // No origin path: /img/<key> is the object img/<key> of the image bucket.
        [`/${publicImagePrefix}*`]: {
          origin: imageOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: imageCachePolicy,
          responseHeadersPolicy: resourceHeaders,
        },
      },
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    // The buckets are the stateful stack's; their policies there grant CloudFront's reads.
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      'The stateful stack grants CloudFront read access in the bucket policies (PrivateBucket.grantCloudFrontRead).',
    );

    if (props.webDist) this.deployGallery(props.webDist, props.logRemovalPolicy);

    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The gallery is for everyone; no country is excluded.',
      },
      ...(props.webAclArn
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason:
                'No WAF web ACL unless -c wafRateLimit=<n> is given: API Gateway throttles, the JWT authorizer, per-user write rates and daily quotas bound what abuse can cost.',
            },
          ]),
      ...(props.domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes; pass -c domainName=… -c certificateArn=… to enforce TLSv1.2_2021.',
            },
          ]),
    ]);
  }

  /**
   * Content-hashed assets (`assets/`) first, cached for a year; then the rest (index.html,
   * favicon.svg), never cached and the only paths invalidated, so a deploy leaves the
   * year-long caches alone and a browser never gets a page naming assets not there yet.
   * Old assets are kept (no prune) for pages still open.
   */
  private deployGallery(webDist: string, logRemovalPolicy: RemovalPolicy): void {
    if (!existsSync(path.join(webDist, 'index.html'))) {
      throw new Error(
        `The gallery is not built (${path.join(webDist, 'index.html')} is missing): run \`npm run build:web\` first (\`npm run deploy\` does), or pass -c gallery=skip to leave the deployed gallery as it is.`,
      );
    }
    const logGroup = new LogGroup(this, 'GalleryDeploymentLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: logRemovalPolicy,
    });
    const assets = new BucketDeployment(this, 'GalleryAssets', {
      sources: [Source.asset(path.join(webDist, hashedAssetDirectory))],
      destinationBucket: this.webBucket,
      destinationKeyPrefix: `${hashedAssetDirectory}/`,
      prune: false,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      logGroup,
    });
    const index = new BucketDeployment(this, 'GalleryIndex', {
      sources: [Source.asset(webDist, { exclude: [hashedAssetDirectory] })],
      destinationBucket: this.webBucket,
      prune: false,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: unhashedPaths(webDist),
      logGroup,
    });
    index.node.addDependency(assets);
  }
}

/** Vite's output directory for content-hashed files. */
const hashedAssetDirectory = 'assets';

/** Every file of the built gallery outside `assets/`, as a path CloudFront invalidates. */
function unhashedPaths(webDist: string): string[] {
  return readdirSync(webDist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(webDist, path.join(entry.parentPath, entry.name)).split(path.sep))
    .filter((parts) => parts[0] !== hashedAssetDirectory)
    .map((parts) => `/${parts.join('/')}`)
    .sort();
}

/**
 * HSTS for two years, no sniffing, no framing, a referrer that stops at the origin, no
 * powerful features, and the given Content-Security-Policy, replacing whatever the origin sent.
 */
function securityHeadersPolicy(
  scope: Construct,
  id: string,
  options: { comment: string; contentSecurityPolicy: string },
): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    comment: options.comment,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: options.contentSecurityPolicy, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: [
        {
          header: 'Permissions-Policy',
          value: 'camera=(), microphone=(), geolocation=(), payment=()',
          override: true,
        },
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
      ],
    },
  });
}
