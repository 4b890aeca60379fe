import { describe, expect, it } from 'vitest';
import { callsOf } from '../../scripts/iam/aws-calls.ts';

const context = { accountId: '123456789012' };
const signedBy = (key: string, service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${key}/20261129/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`,
});
const json = (target: string, body: unknown, key: string, service: string) => ({
  method: 'POST',
  url: '/',
  headers: { ...signedBy(key, service), 'x-amz-target': target },
  body: Buffer.from(JSON.stringify(body)),
});
const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/t1-table';

describe('the IAM view of a call to the emulator', () => {
  it('authorises each item of a transaction as its own action on its table', () => {
    const calls = callsOf(
      json(
        'DynamoDB_20120810.TransactWriteItems',
        {
          TransactItems: [
            { Put: { TableName: 't1-table', Item: {} } },
            { Update: { TableName: 't1-table', Key: {} } },
            { Delete: { TableName: 't1-table', Key: {} } },
          ],
        },
        'lambda-api-images',
        'dynamodb',
      ),
      context,
    );
    expect(calls.map(({ action, resource, accessKeyId }) => [accessKeyId, action, resource])).toEqual([
      ['lambda-api-images', 'dynamodb:PutItem', table],
      ['lambda-api-images', 'dynamodb:UpdateItem', table],
      ['lambda-api-images', 'dynamodb:DeleteItem', table],
    ]);
  });

  it('authorises a post to a WebSocket connection as ManageConnections on that connection of its API and stage', () => {
    const [post, remove] = [
      {
        method: 'POST',
        url: '/wsliveupda/live/@connections/Ab%2Bcd%3D',
        headers: signedBy('lambda-worker-jobs', 'execute-api'),
      },
      {
        method: 'DELETE',
        url: '/wsliveupda/live/@connections/xyz',
        headers: signedBy('lambda-worker-jobs', 'execute-api'),
      },
    ].map((request) => callsOf(request, context));
    expect(post).toEqual([
      {
        accessKeyId: 'lambda-worker-jobs',
        operation: 'ApiGatewayManagementApi.PostToConnection',
        action: 'execute-api:ManageConnections',
        resource: 'arn:aws:execute-api:us-east-1:123456789012:wsliveupda/live/POST/@connections/Ab+cd=',
        authorisedByIam: true,
      },
    ]);
    expect(remove).toMatchObject([
      {
        operation: 'ApiGatewayManagementApi.DeleteConnection',
        resource: 'arn:aws:execute-api:us-east-1:123456789012:wsliveupda/live/DELETE/@connections/xyz',
      },
    ]);
  });

  it('names the index a query reads', () => {
    const [call] = callsOf(
      json('DynamoDB_20120810.Query', { TableName: 't1-table', IndexName: 'gallery' }, 'k', 'dynamodb'),
      context,
    );
    expect(call).toMatchObject({ action: 'dynamodb:Query', resource: `${table}/index/gallery` });
  });

  it('authorises DeleteObjects as DeleteObject on each key it names', () => {
    const calls = callsOf(
      {
        method: 'POST',
        url: '/t1-images/?delete',
        headers: signedBy('lambda-api-images', 's3'),
        body: Buffer.from(
          '<Delete><Object><Key>images/a/original.png</Key></Object><Object><Key>img/a/b&amp;c.png</Key></Object></Delete>',
        ),
      },
      context,
    );
    expect(calls.map(({ action, resource }) => [action, resource])).toEqual([
      ['s3:DeleteObject', 'arn:aws:s3:::t1-images/images/a/original.png'],
      ['s3:DeleteObject', 'arn:aws:s3:::t1-images/img/a/b&c.png'],
    ]);
  });

  it('records a presigned GET against the function that signed it', () => {
    const [call] = callsOf(
      {
        method: 'GET',
        url: '/t1-images/images/a/thumbnail.webp?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=lambda-api-images%2F20261129%2Fus-east-1%2Fs3%2Faws4_request&x-id=GetObject',
        headers: {},
      },
      context,
    );
    expect(call).toMatchObject({
      accessKeyId: 'lambda-api-images',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::t1-images/images/a/thumbnail.webp',
    });
  });

  it('records a presigned POST against the function that signed the form', () => {
    const boundary = 'form-boundary';
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.from(
      `${field('key', 'uploads/u1/01JD')}${field('X-Amz-Credential', 'lambda-api-uploads/20261129/us-east-1/s3/aws4_request')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--${boundary}--\r\n`,
    );
    const [call] = callsOf(
      {
        method: 'POST',
        url: '/t1-images',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      },
      context,
    );
    expect(call).toMatchObject({
      accessKeyId: 'lambda-api-uploads',
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::t1-images/uploads/u1/01JD',
    });
  });

  it('reads a copy as GetObject on its source and PutObject on its destination', () => {
    const calls = callsOf(
      {
        method: 'PUT',
        url: '/t1-images/img/a/original.png?x-id=CopyObject',
        headers: { ...signedBy('k', 's3'), 'x-amz-copy-source': 't1-images/images/a/original.png' },
      },
      context,
    );
    expect(calls.map(({ action, resource }) => [action, resource])).toEqual([
      ['s3:PutObject', 'arn:aws:s3:::t1-images/img/a/original.png'],
      ['s3:GetObject', 'arn:aws:s3:::t1-images/images/a/original.png'],
    ]);
  });

  it('authorises SQS batches as their single action on the queue of the URL', () => {
    const [call] = callsOf(
      json(
        'AmazonSQS.DeleteMessageBatch',
        { QueueUrl: 'http://127.0.0.1:4566/123456789012/t1-jobs', Entries: [] },
        'k',
        'sqs',
      ),
      context,
    );
    expect(call).toMatchObject({
      action: 'sqs:DeleteMessage',
      resource: 'arn:aws:sqs:us-east-1:123456789012:t1-jobs',
    });
  });

  it('marks Cognito’s public user API as needing no IAM, and its admin API as needing it', () => {
    const [signUp] = callsOf(
      json('AWSCognitoIdentityProviderService.SignUp', {}, 'k', 'cognito-idp'),
      context,
    );
    const [admin] = callsOf(
      json(
        'AWSCognitoIdentityProviderService.AdminGetUser',
        { UserPoolId: 'us-east-1_abc' },
        'k',
        'cognito-idp',
      ),
      context,
    );
    expect(signUp).toMatchObject({ authorisedByIam: false });
    expect(admin).toMatchObject({
      authorisedByIam: true,
      action: 'cognito-idp:AdminGetUser',
      resource: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc',
    });
  });

  it('records nothing no key signed (a CORS preflight)', () => {
    expect(callsOf({ method: 'OPTIONS', url: '/t1-images/uploads/x', headers: {} }, context)).toEqual([]);
  });
});
