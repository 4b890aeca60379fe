import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, type Emulator, startEmulator } from '../../scripts/emulator/emulator.ts';
import { type LocalStack, provision } from '../../scripts/emulator/provision.ts';
import { queues, table } from '../../shared/resources.ts';
import { testAssembly } from './support/stack.ts';

const external = Boolean(process.env.AWS_ENDPOINT_URL);

function canBind(port: number) {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface S3Event {
  Records?: { eventName: string; s3: { object: { key: string } } }[];
}

/** S3 events carry form-encoded keys (moto encodes the slashes too, AWS does not). */
const eventKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

describe('the local emulator', () => {
  let emulator: Emulator;
  let stack: LocalStack;
  let port: number;
  // Against someone else's endpoint, a prefix of our own keeps the dev stack's queues untouched.
  const prefix = external ? `easel-it-${Date.now().toString(36)}` : 'easel';
  let sqs: SQSClient;
  const provisionHere = () =>
    provision({
      endpoint: emulator.endpoint,
      assembly: testAssembly(),
      siteUrl: 'http://127.0.0.1:3000',
      prefix,
      stackFile: false,
    });

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    port = Number(new URL(emulator.endpoint).port);
    stack = (await provisionHere()).local;
    sqs = new SQSClient(clientConfig('SQS', stack.endpoint, stack.region));
  }, 180_000);

  afterAll(async () => {
    sqs?.destroy();
    await emulator?.stop();
  });

  async function drain(queueUrl: string) {
    const bodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      if (Messages.length === 0) return bodies;
      for (const message of Messages) {
        bodies.push(message.Body ?? '');
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  }

  it('creates the table on demand, with its three GSIs projecting everything and TTL on', async () => {
    const dynamodb = new DynamoDBClient(clientConfig('DYNAMODB', stack.endpoint, stack.region));
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: stack.tableName }));
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: stack.tableName }));
    dynamodb.destroy();

    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(
      table.indexes.map((index) => index.name).sort(),
    );
    for (const index of indexes) expect(index.Projection?.ProjectionType).toBe('ALL');
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: table.ttlAttribute,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('applies a DynamoDB transaction whole or not at all, however many of its items share the table', async () => {
    const dynamodb = new DynamoDBClient(clientConfig('DYNAMODB', stack.endpoint, stack.region));
    const TableName = stack.tableName;
    const key = (name: string) => ({ pk: { S: `TEST#${name}` }, sk: { S: 'ITEM' } });
    const read = async (name: string) =>
      (await dynamodb.send(new GetItemCommand({ TableName, Key: key(name), ConsistentRead: true }))).Item;
    try {
      await dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { ...key('a'), n: { N: '1' } } } },
            { Put: { TableName, Item: { ...key('b'), n: { N: '1' } } } },
          ],
        }),
      );
      // The third item's condition fails: neither the new item nor the changed one is kept.
      await expect(
        dynamodb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName, Item: { ...key('c'), n: { N: '1' } } } },
              {
                Update: {
                  TableName,
                  Key: key('a'),
                  UpdateExpression: 'SET n = :two',
                  ExpressionAttributeValues: { ':two': { N: '2' } },
                },
              },
              {
                Put: {
                  TableName,
                  Item: { ...key('b'), n: { N: '3' } },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        ),
      ).rejects.toBeInstanceOf(TransactionCanceledException);
      expect(await read('c')).toBeUndefined();
      expect((await read('a'))?.n).toEqual({ N: '1' });
      expect((await read('b'))?.n).toEqual({ N: '1' });
    } finally {
      dynamodb.destroy();
    }
  });

  it('puts an S3 event naming the key on the uploads queue for an object created under uploads/', async () => {
    const s3 = new S3Client(clientConfig('S3', stack.endpoint, stack.region));
    const id = randomUUID();
    const uploadKey = `uploads/${id}/my photo+1.png`;
    const otherKey = `originals/${id}.png`;
    await s3.send(new PutObjectCommand({ Bucket: stack.imageBucket, Key: otherKey, Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: stack.imageBucket, Key: uploadKey, Body: 'png bytes' }));
    s3.destroy();

    // The queue also holds the s3:TestEvent that configuring the notification sends.
    const records = (await drain(stack.uploadsQueueUrl)).flatMap(
      (body) => (JSON.parse(body) as S3Event).Records ?? [],
    );
    const keys = records.map((record) => eventKey(record.s3.object.key));
    expect(keys).toContain(uploadKey);
    expect(keys).not.toContain(otherKey);
    expect(records.find((record) => eventKey(record.s3.object.key) === uploadKey)?.eventName).toBe(
      'ObjectCreated:Put',
    );
  });

  it('moves a message received maxReceiveCount times without a delete to the dead-letter queue', async () => {
    const body = JSON.stringify({ probe: randomUUID() });
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.jobsQueueUrl, MessageBody: body }));
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl: stack.jobsQueueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
      );

    for (let attempt = 1; attempt <= queues.jobs.maxReceiveCount; attempt++) {
      const { Messages = [] } = await receive();
      expect(Messages.map((message) => message.Body)).toEqual([body]);
    }
    expect((await receive()).Messages ?? []).toEqual([]);
    expect(await drain(stack.jobsDlqUrl)).toContain(body);
  });

  it('refuses a message over 256 KB, as the template configures the queues', async () => {
    const send = (bytes: number) =>
      sqs.send(new SendMessageCommand({ QueueUrl: stack.jobsQueueUrl, MessageBody: 'x'.repeat(bytes) }));
    await expect(send(256 * 1024 + 1)).rejects.toThrow(/shorter than 262144 bytes/);
    await send(256 * 1024);
    expect(await drain(stack.jobsQueueUrl)).toHaveLength(1);
  });

  it('finds and reuses every resource when provisioning again, without a second S3 test event', async () => {
    await drain(stack.uploadsQueueUrl);
    const { local: again } = await provisionHere();

    expect(again).toEqual(stack);
    expect(await drain(stack.uploadsQueueUrl)).toEqual([]);
    const cognito = new CognitoIdentityProviderClient(
      clientConfig('COGNITO_IDENTITY_PROVIDER', stack.endpoint, stack.region),
    );
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: stack.userPoolId }));
    cognito.destroy();
    expect(UserPool?.UsernameAttributes).toEqual(['email']);
  });

  it('issues access tokens that aws-jwt-verify accepts with the JWKS of the stack', async () => {
    const cognito = new CognitoIdentityProviderClient(
      clientConfig('COGNITO_IDENTITY_PROVIDER', stack.endpoint, stack.region),
    );
    const email = `ada-${randomUUID()}@example.com`;
    const password = 'Passw0rd-ok';
    await cognito.send(
      new SignUpCommand({ ClientId: stack.userPoolClientId, Username: email, Password: password }),
    );
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: stack.userPoolClientId,
        Username: email,
        ConfirmationCode: '123456',
      }),
    );
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    cognito.destroy();

    // The verifier asks for the issuer's (AWS) JWKS URL; the emulator serves it at stack.jwksUri.
    const jwksCache = new SimpleJwksCache({
      fetcher: { fetch: async () => (await fetch(stack.jwksUri)).arrayBuffer() },
    });
    const verifier = CognitoJwtVerifier.create(
      { userPoolId: stack.userPoolId, clientId: stack.userPoolClientId, tokenUse: 'access' },
      { jwksCache },
    );
    const payload = await verifier.verify(AuthenticationResult?.AccessToken ?? '');
    expect(payload).toMatchObject({ token_use: 'access', client_id: stack.userPoolClientId });
  });

  it.skipIf(external)(
    'refuses a port where a moto server already answers, unless told to reuse it',
    async () => {
      await expect(startEmulator({ port })).rejects.toThrow(`port ${port} is in use`);
      const reused = await startEmulator({ port, reuse: true });
      expect(reused).toMatchObject({ endpoint: emulator.endpoint, external: true });
    },
  );

  it.skipIf(external)('stop() frees the port and leaves no moto process behind', async () => {
    const pid = emulator.pid ?? -1;
    await emulator.stop();

    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(() => process.kill(-pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(await canBind(port)).toBe(true);
  });
});
