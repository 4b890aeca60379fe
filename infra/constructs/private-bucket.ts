import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export type PrivateBucketProps = Omit<
  BucketProps,
  'blockPublicAccess' | 'enforceSSL' | 'encryption' | 'removalPolicy' | 'publicReadAccess'
>;

/**
 * A bucket that holds data: no public access, TLS only, S3-managed encryption, kept
 * when its stack is deleted or the construct is removed.
 */
export class PrivateBucket extends Bucket {
  constructor(scope: Construct, id: string, props: PrivateBucketProps = {}) {
    super(scope, id, {
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      ...props,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets CloudFront read `keyPattern` through origin access control. The distribution
   * lives in the stateless stack and this bucket in the stateful one; naming the
   * distribution here would make the stateful stack depend on the stateless one (a
   * cycle), so the grant is to this account's distributions, as CDK itself does for
   * KMS keys of OAC buckets. What they can read is public content served by our CDN.
   */
  grantCloudFrontRead(keyPattern: string): void {
    this.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudFrontOriginAccessControlRead',
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.arnForObjects(keyPattern)],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` },
        },
      }),
    );
  }
}
