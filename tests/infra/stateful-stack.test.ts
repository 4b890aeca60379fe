import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  jobInputExpiryDays,
  jobInputPrefix,
  stagedUploadPrefix,
  table,
  uploadExpiryDays,
  uploadPrefix,
  userPool,
} from '../../shared/resources.ts';
import { testApp } from './easel-app.ts';

let template: Template;

beforeAll(() => {
  template = Template.fromStack(testApp().stateful);
});

describe('the table', () => {
  it('is on-demand with the keys, indexes and TTL of shared/resources.ts', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
  });

  it('keys the popular index on a number, so a like moves the score by ADD', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'gsi4pk', AttributeType: 'S' },
        { AttributeName: 'gsi4sk', AttributeType: 'N' },
      ]),
    });
  });

  it('has point-in-time recovery and deletion protection, and is retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      },
    });
  });
});

describe('the buckets', () => {
  it('are retained, private, encrypted and served over TLS only', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
      });
    }
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('expire abandoned and staged uploads, edit inputs and incomplete multipart uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: uploadPrefix, ExpirationInDays: uploadExpiryDays, Status: 'Enabled' }),
          Match.objectLike({
            Prefix: stagedUploadPrefix,
            ExpirationInDays: uploadExpiryDays,
            Status: 'Enabled',
          }),
          Match.objectLike({
            Prefix: jobInputPrefix,
            ExpirationInDays: jobInputExpiryDays,
            Status: 'Enabled',
          }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        ]),
      },
    });
  });

  it('let browsers POST uploads to the image bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: Match.arrayWith(['POST']),
            AllowedOrigins: ['https://*.cloudfront.net'],
          }),
        ],
      },
    });
  });

  it('allow only the site origin when a custom domain is set', () => {
    const withDomain = Template.fromStack(
      testApp({
        domain: {
          name: 'easel.example.com',
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
        },
      }).stateful,
    );
    withDomain.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['https://easel.example.com'] })] },
    });
  });

  it('let CloudFront read only img/ of the image bucket, and the whole web bucket', () => {
    const reads = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.filter(
        (statement: { Principal?: { Service?: string } }) =>
          statement.Principal?.Service === 'cloudfront.amazonaws.com',
      ),
    );
    expect(reads).toHaveLength(2);
    const suffixes = reads.map((statement: { Resource: { 'Fn::Join': [string, unknown[]] } }) =>
      statement.Resource['Fn::Join'][1].at(-1),
    );
    expect(suffixes.sort()).toEqual(['/*', '/img/*']);
    for (const statement of reads) expect(statement.Action).toBe('s3:GetObject');
  });

  it('log their access to the log bucket', () => {
    const logged = Object.values(template.findResources('AWS::S3::Bucket')).filter(
      (bucket) => bucket.Properties.LoggingConfiguration,
    );
    expect(logged).toHaveLength(2);
  });
});

describe('the user pool', () => {
  it('signs people up by e-mail, case-insensitively, with the password policy of shared/resources.ts', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AutoVerifiedAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        DeletionProtection: 'ACTIVE',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: userPool.passwordPolicy.minLength,
            RequireLowercase: userPool.passwordPolicy.requireLowercase,
            RequireUppercase: userPool.passwordPolicy.requireUppercase,
            RequireNumbers: userPool.passwordPolicy.requireDigits,
            RequireSymbols: userPool.passwordPolicy.requireSymbols,
          }),
        },
      }),
    });
  });

  it('has a public client for USER_PASSWORD_AUTH that hides whether a user exists', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: userPool.accessTokenValidityMinutes,
      IdTokenValidity: userPool.idTokenValidityMinutes,
      RefreshTokenValidity: userPool.refreshTokenValidityDays * 24 * 60,
    });
  });

  it('lets each user turn on an authenticator app (TOTP) as a second step, never SMS', () => {
    const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0]!.Properties;
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.SmsConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AuthSessionValidity: userPool.authSessionValidityMinutes,
    });
  });

  it('uses the Plus plan with threat protection enforced in production only', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    template.resourceCountIs('AWS::Cognito::UserPoolRiskConfigurationAttachment', 0);
    const prod = Template.fromStack(
      testApp({
        stage: 'prod',
        domain: {
          name: 'easel.example.com',
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      }).stateful,
    );
    prod.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    // Breached passwords are refused; risk from addresses (Lambda's, not the user's) is only logged.
    const noAction = { EventAction: 'NO_ACTION', Notify: false };
    prod.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: {
        Actions: { EventAction: 'BLOCK' },
        EventFilter: ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'],
      },
      AccountTakeoverRiskConfiguration: {
        Actions: { LowAction: noAction, MediumAction: noAction, HighAction: noAction },
      },
    });
  });
});

describe('the secrets', () => {
  it('are retained, with a placeholder OpenAI key and a generated cursor key', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(secret.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: 'REPLACE_WITH_OPENAI_API_KEY',
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it('tells the operator where to put the OpenAI key', () => {
    template.hasOutput('OpenAiSecretName', { Description: Match.stringLikeRegexp('put-secret-value') });
  });
});

it('outputs the table, bucket names and user pool ids', () => {
  for (const name of ['TableName', 'ImageBucketName', 'WebBucketName', 'UserPoolId', 'UserPoolClientId']) {
    template.hasOutput(name, {});
  }
});
