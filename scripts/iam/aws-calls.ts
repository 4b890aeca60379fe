import type { ProxiedRequest } from '../emulator/recording-proxy.ts';

/** One action on one resource, as IAM authorises it: a request may be several (a transaction, a batch). */
export interface AwsCall {
  /** The access key id that signed the request (a header, a presigned URL's query, a POST form). */
  readonly accessKeyId: string;
  /** The API operation, e.g. `DynamoDB.TransactWriteItems`, `S3.POST bucket`. */
  readonly operation: string;
  /** `dynamodb:PutItem`; what IAM checks. */
  readonly action: string;
  readonly resource: string;
  /**
   * False for APIs IAM does not authorise: Cognito's public user-pool API (SignUp,
   * InitiateAuth, GlobalSignOut…), which a token or nothing authorises.
   */
  readonly authorisedByIam: boolean;
}

/** Where the local resources live: a table or a secret named by its name needs both for its ARN. */
export interface CallContext {
  readonly accountId: string;
}

/**
 * Cognito user-pool operations that IAM policies do not apply to: AWS lets anyone call
 * them (sign-up, sign-in, reset) or authorises them by the user's access token.
 */
const cognitoPublicOperations = new Set([
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'InitiateAuth',
  'RespondToAuthChallenge',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'GetUser',
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'GetUserAttributeVerificationCode',
  'DeleteUser',
  'GlobalSignOut',
  'RevokeToken',
  'GetTokensFromRefreshToken',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
]);

/** SQS batch operations are authorised as their single counterparts. */
const sqsActionOf: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

/** A transaction's items are authorised one by one, each as its own item action. */
const transactItemAction: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

interface Signature {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

/** `<key>/<date>/<region>/<service>/aws4_request`. */
function parseCredential(credential: string | undefined | null): Signature | undefined {
  const [accessKeyId, , region, service] = credential?.split('/') ?? [];
  return accessKeyId && region && service ? { accessKeyId, region, service } : undefined;
}

function headerSignature(request: ProxiedRequest): Signature | undefined {
  const authorization = request.headers.authorization;
  const credential = typeof authorization === 'string' && /Credential=([^,\s]+)/.exec(authorization)?.[1];
  return credential ? parseCredential(credential) : undefined;
}

/** The text fields of a `multipart/form-data` body (a presigned POST puts the file last). */
export function formFields(body: Buffer, contentType: string): Map<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const fields = new Map<string, string>();
  if (!boundary) return fields;
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  for (const part of body.toString('latin1').split(delimiter)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (!name || /filename=/i.test(headers)) continue;
    fields.set(name.toLowerCase(), part.slice(headerEnd + 4).replace(/\r\n$/, ''));
  }
  return fields;
}

function xmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Query parameters that name an S3 subresource (and so another action than the object's or bucket's own). */
const s3Subresources = [
  'uploads',
  'uploadId',
  'delete',
  'tagging',
  'acl',
  'cors',
  'location',
  'versions',
  'notification',
  'lifecycle',
  'policy',
  'attributes',
];

const objectSubresourceActions: Record<string, string> = {
  'GET tagging': 'GetObjectTagging',
  'PUT tagging': 'PutObjectTagging',
  'DELETE tagging': 'DeleteObjectTagging',
  'GET acl': 'GetObjectAcl',
  'PUT acl': 'PutObjectAcl',
  'GET attributes': 'GetObjectAttributes',
  // Starting, uploading parts of and completing a multipart upload are all PutObject.
  'POST uploads': 'PutObject',
  'POST uploadId': 'PutObject',
  'PUT uploadId': 'PutObject',
  'GET uploadId': 'ListMultipartUploadParts',
  'DELETE uploadId': 'AbortMultipartUpload',
};

const bucketSubresourceActions: Record<string, string> = {
  'GET versions': 'ListBucketVersions',
  'GET uploads': 'ListBucketMultipartUploads',
  'GET location': 'GetBucketLocation',
  'GET cors': 'GetBucketCORS',
  'GET notification': 'GetBucketNotification',
  'GET lifecycle': 'GetLifecycleConfiguration',
  'GET policy': 'GetBucketPolicy',
};

function s3Calls(request: ProxiedRequest, header: Signature | undefined): AwsCall[] {
  const url = new URL(request.url, 'http://emulator');
  const [bucket, ...keyParts] = url.pathname.slice(1).split('/');
  if (!bucket) return [];
  // `/bucket/?delete` (the SDK's DeleteObjects) names the bucket, not an object.
  const key = keyParts.map((part) => decodeURIComponent(part)).join('/');
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const subresource = s3Subresources.find((name) => url.searchParams.has(name));
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const signer = header ?? parseCredential(url.searchParams.get('X-Amz-Credential'));
  const call = (signature: Signature | undefined, operation: string, action: string, resource: string) =>
    signature
      ? [
          {
            accessKeyId: signature.accessKeyId,
            operation,
            action: `s3:${action}`,
            resource,
            authorisedByIam: true,
          },
        ]
      : [];

  if (key !== '') {
    const operation = `S3.${method} object${subresource ? `?${subresource}` : ''}`;
    if (subresource) {
      return call(
        signer,
        operation,
        objectSubresourceActions[`${method} ${subresource}`] ?? `Unknown(${operation})`,
        `${bucketArn}/${key}`,
      );
    }
    if (method === 'GET') return call(signer, operation, 'GetObject', `${bucketArn}/${key}`);
    if (method === 'DELETE') return call(signer, operation, 'DeleteObject', `${bucketArn}/${key}`);
    if (method === 'PUT') {
      const copySource = request.headers['x-amz-copy-source'];
      const source =
        typeof copySource === 'string'
          ? decodeURIComponent(copySource.replace(/^\//, '').split('?')[0]!)
          : undefined;
      return [
        ...call(signer, operation, 'PutObject', `${bucketArn}/${key}`),
        // A copy reads its source with the same credentials.
        ...(source ? call(signer, operation, 'GetObject', `arn:aws:s3:::${source}`) : []),
      ];
    }
    return call(signer, operation, `Unknown(${operation})`, `${bucketArn}/${key}`);
  }

  const operation = `S3.${method} bucket${subresource ? `?${subresource}` : ''}`;
  if (method === 'POST' && subresource === 'delete') {
    // DeleteObjects is authorised as DeleteObject on each key it names.
    const keys = [...(request.body?.toString('utf8') ?? '').matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map(
      (match) => xmlText(match[1]!),
    );
    return keys.flatMap((name) => call(signer, operation, 'DeleteObject', `${bucketArn}/${name}`));
  }
  if (method === 'POST' && !subresource) {
    // A presigned POST: the form carries the signer's credential and the key.
    const fields = formFields(request.body ?? Buffer.alloc(0), String(request.headers['content-type'] ?? ''));
    const formKey = fields.get('key');
    return formKey
      ? call(
          parseCredential(fields.get('x-amz-credential')),
          `${operation} (presigned POST)`,
          'PutObject',
          `${bucketArn}/${formKey}`,
        )
      : [];
  }
  if (method === 'GET' && !subresource) return call(signer, operation, 'ListBucket', bucketArn);
  return call(
    signer,
    operation,
    bucketSubresourceActions[`${method} ${subresource}`] ?? `Unknown(${operation})`,
    bucketArn,
  );
}

function dynamoDbCalls(
  operation: string,
  body: Record<string, unknown>,
  signature: Signature,
  context: CallContext,
): AwsCall[] {
  const tableArn = (name: string) =>
    name.startsWith('arn:')
      ? name
      : `arn:aws:dynamodb:${signature.region}:${context.accountId}:table/${name}`;
  const call = (action: string, resource: string): AwsCall => ({
    accessKeyId: signature.accessKeyId,
    operation: `DynamoDB.${operation}`,
    action: `dynamodb:${action}`,
    resource,
    authorisedByIam: true,
  });
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const items = (body.TransactItems ?? []) as Record<string, { TableName?: string }>[];
    return items.flatMap((item) =>
      Object.entries(item).map(([kind, request]) =>
        call(transactItemAction[kind] ?? `Unknown(${kind})`, tableArn(String(request.TableName))),
      ),
    );
  }
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
    return Object.keys((body.RequestItems ?? {}) as object).map((table) => call(operation, tableArn(table)));
  }
  if (typeof body.TableName !== 'string') return [call(operation, '*')];
  const index = typeof body.IndexName === 'string' ? `/index/${body.IndexName}` : '';
  return [call(operation, `${tableArn(body.TableName)}${index}`)];
}

const operationOfMethod: Record<string, string> = {
  POST: 'PostToConnection',
  GET: 'GetConnection',
  DELETE: 'DeleteConnection',
};

/**
 * A call to a WebSocket API's management API, `<method> /<api id>/<stage>/@connections/<id>`
 * locally (in AWS the API id is the host): IAM authorises `execute-api:ManageConnections`
 * on `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<method>/@connections/<id>`.
 */
function managementCalls(request: ProxiedRequest, signature: Signature, context: CallContext): AwsCall[] {
  const path = new URL(request.url, 'http://local').pathname;
  const [apiId, stage, connections, connectionId] = path.split('/').filter(Boolean);
  const resource =
    apiId && stage && connections === '@connections' && connectionId
      ? `arn:aws:execute-api:${signature.region}:${context.accountId}:${apiId}/${stage}/${request.method}/@connections/${decodeURIComponent(connectionId)}`
      : '*';
  return [
    {
      accessKeyId: signature.accessKeyId,
      operation: `ApiGatewayManagementApi.${operationOfMethod[request.method] ?? request.method}`,
      action: 'execute-api:ManageConnections',
      resource,
      authorisedByIam: true,
    },
  ];
}

/** `http://host/<account>/<name>` → the queue's ARN. */
function queueArn(queueUrl: string, signature: Signature, context: CallContext): string {
  const [account, name] = new URL(queueUrl).pathname.split('/').filter(Boolean).slice(-2);
  return `arn:aws:sqs:${signature.region}:${account ?? context.accountId}:${name}`;
}

/**
 * The calls one request to the AWS endpoint makes, each as IAM would authorise it, with
 * the key that signed it; none for a request no key signed (a browser's CORS preflight,
 * CloudFront's origin read). JSON protocols name the operation in `X-Amz-Target` and the
 * resources in the body; S3 in its method, path and query.
 */
export function callsOf(request: ProxiedRequest, context: CallContext): AwsCall[] {
  const header = headerSignature(request);
  if (header?.service === 'execute-api') return managementCalls(request, header, context);
  const target = request.headers['x-amz-target'];
  if (typeof target !== 'string') return s3Calls(request, header);
  if (!header) return [];
  const operation = target.split('.').pop()!;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(request.body?.toString('utf8') || '{}');
  } catch {
    // A body that is not JSON names no resource; the operation is still recorded.
  }
  const single = (service: string, action: string, resource: string, authorisedByIam = true): AwsCall[] => [
    {
      accessKeyId: header.accessKeyId,
      operation: `${service}.${operation}`,
      action: `${service}:${action}`,
      resource,
      authorisedByIam,
    },
  ];
  switch (header.service) {
    case 'dynamodb':
      return dynamoDbCalls(operation, body, header, context);
    case 'sqs': {
      if (operation === 'GetQueueUrl') {
        const account =
          typeof body.QueueOwnerAWSAccountId === 'string' ? body.QueueOwnerAWSAccountId : context.accountId;
        return single('sqs', operation, `arn:aws:sqs:${header.region}:${account}:${String(body.QueueName)}`);
      }
      const resource = typeof body.QueueUrl === 'string' ? queueArn(body.QueueUrl, header, context) : '*';
      return single('sqs', sqsActionOf[operation] ?? operation, resource);
    }
    case 'secretsmanager': {
      const id = String(body.SecretId ?? '*');
      const resource =
        id.startsWith('arn:') || id === '*'
          ? id
          : `arn:aws:secretsmanager:${header.region}:${context.accountId}:secret:${id}`;
      return single('secretsmanager', operation, resource);
    }
    case 'cognito-idp': {
      const pool = typeof body.UserPoolId === 'string' ? body.UserPoolId : undefined;
      const resource = pool
        ? `arn:aws:cognito-idp:${header.region}:${context.accountId}:userpool/${pool}`
        : '*';
      return single('cognito-idp', operation, resource, !cognitoPublicOperations.has(operation));
    }
    default:
      return single(header.service, operation, '*');
  }
}
