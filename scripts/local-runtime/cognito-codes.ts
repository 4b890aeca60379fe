import { randomInt } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  type PasswordPolicyType,
  paginateListUserPools,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { LocalMailbox, Mail } from './mailbox.ts';

export interface CognitoCodesOptions {
  /** The Cognito endpoint behind this layer (moto). */
  readonly upstream: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly mailbox: LocalMailbox;
  readonly now?: () => number;
}

/** How long Cognito honours a code: a day for sign-up, an hour for a password reset. */
const codeLifetimeMs: Record<Mail['kind'], number> = { signup: 24 * 3600_000, reset: 3600_000 };

/** Cognito's own symbols for `RequireSymbols`. */
const symbols = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/** An error answered in Cognito's JSON protocol, as the SDK parses it. */
class CognitoFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pool {
  readonly userPoolId: string;
  readonly preventUserExistenceErrors: boolean;
  readonly passwordPolicy: PasswordPolicyType;
  /** How long a challenged login's session lasts (the client's `AuthSessionValidity`, minutes). */
  readonly authSessionMs: number;
}

interface IssuedCode {
  readonly code: string;
  readonly issuedAt: number;
}

type Request = Record<string, string | undefined>;

/** Cognito's complaint about a password, or nothing when the pool's policy accepts it. */
function passwordComplaint(password: string, policy: PasswordPolicyType): string | undefined {
  const rules: [boolean, string][] = [
    [password.length >= (policy.MinimumLength ?? 8), 'Password not long enough'],
    [!(policy.RequireUppercase ?? true) || /[A-Z]/.test(password), 'Password must have uppercase characters'],
    [!(policy.RequireLowercase ?? true) || /[a-z]/.test(password), 'Password must have lowercase characters'],
    [!(policy.RequireNumbers ?? true) || /[0-9]/.test(password), 'Password must have numeric characters'],
    [
      !(policy.RequireSymbols ?? true) || [...password].some((c) => symbols.has(c)),
      'Password must have symbol characters',
    ],
  ];
  const broken = rules.find(([kept]) => !kept);
  return broken && `Password did not conform with policy: ${broken[1]}`;
}

/**
 * Cognito's codes, real on one machine. moto takes any confirmation or reset code, has no
 * ResendConfirmationCode and ignores the password policy on a reset, so this layer sits in
 * front of it (the functions' `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`) and answers
 * those five calls itself: it makes and checks the codes, delivers them to the local
 * mailbox, and tells moto the outcome with admin calls. moto also keeps a challenged
 * login's session forever, so this layer ends it after the app client's
 * `AuthSessionValidity`, as Cognito does. Every other call passes to moto.
 */
export async function startCognitoCodes(options: CognitoCodesOptions) {
  const upstream = options.upstream.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const cognito = new CognitoIdentityProviderClient({
    region: options.region,
    endpoint: upstream,
    credentials: options.credentials,
  });
  const pools = new Map<string, Promise<Pool>>();
  const codes = new Map<string, IssuedCode>();
  /** Sessions of logins challenged for an authenticator code, by session, with when they were issued. */
  const challenges = new Map<string, number>();

  async function findPool(clientId: string): Promise<Pool> {
    for await (const page of paginateListUserPools({ client: cognito }, { MaxResults: 60 })) {
      for (const { Id: userPoolId } of page.UserPools ?? []) {
        const clients = await cognito.send(
          new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
        );
        if (!clients.UserPoolClients?.some((client) => client.ClientId === clientId)) continue;
        const [client, pool] = await Promise.all([
          cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId })),
          cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId })),
        ]);
        return {
          userPoolId: userPoolId!,
          preventUserExistenceErrors: client.UserPoolClient?.PreventUserExistenceErrors === 'ENABLED',
          passwordPolicy: pool.UserPool?.Policies?.PasswordPolicy ?? {},
          authSessionMs: (client.UserPoolClient?.AuthSessionValidity ?? 3) * 60_000,
        };
      }
    }
    throw new CognitoFault('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }

  function poolOf(clientId: string | undefined): Promise<Pool> {
    if (!clientId) throw new CognitoFault('InvalidParameterException', 'ClientId is required.');
    let pool = pools.get(clientId);
    if (!pool) {
      pool = findPool(clientId);
      pools.set(clientId, pool);
      pool.catch(() => pools.delete(clientId));
    }
    return pool;
  }

  async function userOf(pool: Pool, username: string | undefined) {
    try {
      return await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
  }

  const emailOf = (user: AdminGetUserCommandOutput) =>
    user.UserAttributes?.find((attribute) => attribute.Name === 'email')?.Value;
  const keyOf = (pool: Pool, user: AdminGetUserCommandOutput, kind: Mail['kind']) =>
    `${pool.userPoolId}/${user.Username}/${kind}`;
  const delivery = (email: string) => ({
    CodeDeliveryDetails: {
      Destination: email.replace(/^(.).*@(.).*$/, '$1***@$2***'),
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    },
  });
  // What Cognito answers for an unknown user when it must not tell: a code sent somewhere.
  const simulatedDelivery = (username: string | undefined) => delivery(username ?? 'someone@example.com');

  /** A new code replaces the one before it, as a resend does in Cognito. */
  function issue(pool: Pool, user: AdminGetUserCommandOutput, kind: Mail['kind']) {
    const email = emailOf(user);
    if (!email) {
      throw new CognitoFault(
        'InvalidParameterException',
        'Cannot send a code: the user has no e-mail address.',
      );
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    codes.set(keyOf(pool, user, kind), { code, issuedAt: now() });
    options.mailbox.deliver(email, kind, code);
    return delivery(email);
  }

  function redeem(pool: Pool, user: AdminGetUserCommandOutput, kind: Mail['kind'], code: string | undefined) {
    const key = keyOf(pool, user, kind);
    const issued = codes.get(key);
    if (!issued || issued.code !== code)
      throw new CognitoFault(
        'CodeMismatchException',
        'Invalid verification code provided, please try again.',
      );
    if (now() - issued.issuedAt > codeLifetimeMs[kind])
      throw new CognitoFault('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    codes.delete(key);
  }

  /** An unknown user: a wrong code when the client hides who exists, else Cognito's own answer. */
  const unknownUser = (pool: Pool) =>
    pool.preventUserExistenceErrors
      ? new CognitoFault('CodeMismatchException', 'Invalid verification code provided, please try again.')
      : new CognitoFault('UserNotFoundException', 'Username/client id combination not found.');

  const sessionExpired = () =>
    new CognitoFault('NotAuthorizedException', 'Invalid session for the user, session is expired.');

  const handlers: Record<string, (request: Request, raw: ForwardedRequest) => Promise<unknown>> = {
    async InitiateAuth(_request, raw) {
      const answer = await forward(upstream, raw);
      if (answer.status === 200) {
        const { Session: session } = JSON.parse(answer.body.toString('utf8')) as { Session?: string };
        if (session) {
          // Sessions never answered are forgotten once no pool could still honour them (15 minutes at most).
          for (const [known, issuedAt] of challenges)
            if (now() - issuedAt > 15 * 60_000) challenges.delete(known);
          challenges.set(session, now());
        }
      }
      return answer;
    },
    async RespondToAuthChallenge(request, raw) {
      // moto keeps a challenge's session forever and answers an unknown one otherwise than Cognito.
      const session = request.Session ?? '';
      const issuedAt = challenges.get(session);
      const pool = await poolOf(request.ClientId);
      if (issuedAt === undefined || now() - issuedAt > pool.authSessionMs) {
        challenges.delete(session);
        throw sessionExpired();
      }
      const answer = await forward(upstream, raw);
      if (answer.status === 200) challenges.delete(session);
      return answer;
    },
    async SignUp(request, raw) {
      // moto creates the user (and checks its password against the pool's policy).
      const answer = await forward(upstream, raw);
      if (answer.status !== 200) return answer;
      const pool = await poolOf(request.ClientId);
      const user = await userOf(pool, request.Username);
      if (user) issue(pool, user, 'signup');
      return answer;
    },
    async ConfirmSignUp(request) {
      const pool = await poolOf(request.ClientId);
      const user = await userOf(pool, request.Username);
      if (!user) throw unknownUser(pool);
      if (user.UserStatus === 'CONFIRMED')
        throw new CognitoFault(
          'NotAuthorizedException',
          'User cannot be confirmed. Current status is CONFIRMED',
        );
      redeem(pool, user, 'signup', request.ConfirmationCode);
      await cognito.send(
        new AdminConfirmSignUpCommand({ UserPoolId: pool.userPoolId, Username: user.Username }),
      );
      // Confirming with the e-mailed code is what verifies the address in Cognito.
      await cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: pool.userPoolId,
          Username: user.Username,
          UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        }),
      );
      return {};
    },
    async ResendConfirmationCode(request) {
      const pool = await poolOf(request.ClientId);
      const user = await userOf(pool, request.Username);
      if (!user) {
        if (pool.preventUserExistenceErrors) return simulatedDelivery(request.Username);
        throw unknownUser(pool);
      }
      if (user.UserStatus === 'CONFIRMED')
        throw new CognitoFault('InvalidParameterException', 'User is already confirmed.');
      return issue(pool, user, 'signup');
    },
    async ForgotPassword(request) {
      const pool = await poolOf(request.ClientId);
      const user = await userOf(pool, request.Username);
      if (!user) {
        if (pool.preventUserExistenceErrors) return simulatedDelivery(request.Username);
        throw unknownUser(pool);
      }
      if (user.Enabled === false) throw new CognitoFault('NotAuthorizedException', 'User is disabled.');
      const verified = user.UserAttributes?.some(
        (attribute) => attribute.Name === 'email_verified' && attribute.Value === 'true',
      );
      if (!verified)
        throw new CognitoFault(
          'InvalidParameterException',
          'Cannot reset password for the user as there is no registered/verified email or phone_number',
        );
      return issue(pool, user, 'reset');
    },
    async ConfirmForgotPassword(request) {
      const pool = await poolOf(request.ClientId);
      const user = await userOf(pool, request.Username);
      if (!user) throw unknownUser(pool);
      const complaint = passwordComplaint(request.Password ?? '', pool.passwordPolicy);
      if (complaint) throw new CognitoFault('InvalidPasswordException', complaint);
      redeem(pool, user, 'reset', request.ConfirmationCode);
      await cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.userPoolId,
          Username: user.Username,
          Password: request.Password,
          Permanent: true,
        }),
      );
      return {};
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const raw: ForwardedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: await readAll(request),
    };
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const handler = handlers[operation];
    if (!handler) return reply(response, await forward(upstream, raw));
    try {
      const result = await handler(JSON.parse(raw.body.toString('utf8') || '{}') as Request, raw);
      reply(response, isForwarded(result) ? result : json(200, result));
    } catch (error) {
      reply(response, faultAnswer(error));
    }
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => reply(response, faultAnswer(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        cognito.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface ForwardedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

interface Answer {
  readonly forwarded: true;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const isForwarded = (value: unknown): value is Answer =>
  typeof value === 'object' && value !== null && 'forwarded' in value;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return {
    forwarded: true,
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function faultAnswer(error: unknown): Answer {
  if (error instanceof CognitoFault) {
    return json(400, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
  }
  if (error instanceof CognitoIdentityProviderServiceException) {
    const status = error.$metadata.httpStatusCode ?? 400;
    return json(status, { __type: error.name, message: error.message }, { 'x-amzn-errortype': error.name });
  }
  const message = error instanceof Error ? error.message : String(error);
  return json(
    500,
    { __type: 'InternalErrorException', message },
    { 'x-amzn-errortype': 'InternalErrorException' },
  );
}

// Hop-by-hop and framing headers are the proxy's own business on each side.
const notForwarded = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'expect',
]);

async function forward(upstream: string, request: ForwardedRequest): Promise<Answer> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || notForwarded.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const answer = await fetch(`${upstream}${request.path}`, {
    method: request.method,
    headers,
    body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
  });
  const answerHeaders: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    // fetch has decoded the body already.
    if (!notForwarded.has(name) && name !== 'content-encoding') answerHeaders[name] = value;
  });
  return {
    forwarded: true,
    status: answer.status,
    headers: answerHeaders,
    body: Buffer.from(await answer.arrayBuffer()),
  };
}

function reply(response: ServerResponse, answer: Answer) {
  if (response.headersSent) return;
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  response.end(answer.body);
}

function readAll(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
