import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { buckets, expiringObjects, table } from '../../shared/resources.ts';
import { PrivateBucket } from '../constructs/private-bucket.ts';
import { publicImagePrefix } from '../constructs/site-distribution.ts';
import { UserDirectory } from '../constructs/user-directory.ts';

export interface StatefulStackProps extends StackProps {
  readonly stage: string;
  /** The site's own origin (`https://<custom domain>`), when it is known before deploy. */
  readonly siteOrigin?: string;
  readonly threatProtection: boolean;
}

/**
 * Everything that holds data: the table, the buckets, the user pool and the secrets.
 * All of it is retained, so no update or stack deletion ever deletes data.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly imageBucket: PrivateBucket;
  readonly webBucket: PrivateBucket;
  readonly logBucket: PrivateBucket;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly openAiSecret: Secret;
  readonly cursorSecret: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    const key = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new TableV2(this, table.id, {
      partitionKey: key(table.partitionKey),
      sortKey: key(table.sortKey),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: table.ttlAttribute,
      globalSecondaryIndexes: table.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        sortKey:
          index.sortKeyType === 'number'
            ? { name: index.sortKey, type: AttributeType.NUMBER }
            : key(index.sortKey),
        projectionType: ProjectionType.ALL,
      })),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // ACLs stay enabled here only because CloudFront standard logs are delivered by ACL.
    this.logBucket = new PrivateBucket(this, 'LogBucket', {
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    NagSuppressions.addResourceSuppressions(this.logBucket, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access log bucket; logging it into itself would log its own log deliveries.',
      },
    ]);

    // Unversioned on purpose: images are immutable objects under fresh ULID keys, so versions
    // would only keep what a user deleted (DELETE /api/images must really remove it).
    this.imageBucket = new PrivateBucket(this, buckets.images.id, {
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/images/',
      lifecycleRules: [
        ...expiringObjects.map(({ prefix, days }) => ({ prefix, expiration: Duration.days(days) })),
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [
        {
          // Presigned POST uploads from the browser, and reading private images into a canvas
          // (masks for edits). The signature, not the origin, is what authorises a request.
          allowedOrigins: [props.siteOrigin ?? 'https://*.cloudfront.net'],
          allowedMethods: [HttpMethods.POST, HttpMethods.GET, HttpMethods.HEAD],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });
    this.imageBucket.grantCloudFrontRead(`${publicImagePrefix}*`);

    this.webBucket = new PrivateBucket(this, buckets.web.id, {
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/web/',
    });
    this.webBucket.grantCloudFrontRead('*');

    const users = new UserDirectory(this, 'UserDirectory', {
      stage: props.stage,
      threatProtection: props.threatProtection,
    });
    this.userPool = users.userPool;
    this.userPoolClient = users.client;

    // A recognisable placeholder: the worker can tell "not configured yet" from a bad key.
    this.openAiSecret = new Secret(this, 'OpenAiApiKey', {
      description: `Easel ${props.stage}: the OpenAI API key, as a plain string`,
      secretStringValue: SecretValue.unsafePlainText('REPLACE_WITH_OPENAI_API_KEY'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cursorSecret = new Secret(this, 'CursorSigningKey', {
      description: `Easel ${props.stage}: signs pagination cursors`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.openAiSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'A third-party API key: the operator rotates it at OpenAI and stores the new one with put-secret-value.',
      },
    ]);
    NagSuppressions.addResourceSuppressions(this.cursorSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the signing key would reject every cursor in flight mid-scroll; cursors carry no secret data and a leaked key only lets someone forge a position in a listing the caller may already read.',
      },
    ]);

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ImageBucketName', { value: this.imageBucket.bucketName });
    new CfnOutput(this, 'WebBucketName', { value: this.webBucket.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'OpenAiSecretName', {
      value: this.openAiSecret.secretName,
      description:
        'Put the OpenAI API key here after the first deploy: aws secretsmanager put-secret-value --secret-id <this> --secret-string <key>',
    });
  }
}
