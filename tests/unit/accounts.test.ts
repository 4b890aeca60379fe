import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  CodeDeliveryFailureException,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ExpiredCodeException,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  InvalidPasswordException,
  LimitExceededException,
  NotAuthorizedException,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  TooManyRequestsException,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../../events/index.ts';
import type { Json } from '../support/json.ts';
import { mockOriginSecret, viaCloudFront } from './support/cloudfront.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const dynamo = mockClient(DynamoDBDocumentClient);

type Handler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
let authHandler: Handler;
let meHandler: Handler;

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 'easel-test',
    USER_POOL_ID: 'us-east-1_Example1',
    USER_POOL_CLIENT_ID: 'client-1',
    ACCOUNTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/easel-test-accounts',
  });
  mockOriginSecret();
  authHandler = (await import('../../functions/api-auth.ts')).handler;
  meHandler = (await import('../../functions/api-me.ts')).handler;
});

beforeEach(() => {
  cognito.reset();
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
});

const exception = (Type: new (args: { message: string; $metadata: object }) => Error, message = 'refused') =>
  new Type({ message, $metadata: {} });

async function post(path: string, body: unknown, fn = authHandler, claims?: Record<string, string>) {
  const event = apiEvent({
    method: 'POST',
    path,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      ...(claims ? { authorization: 'Bearer access-token-1' } : {}),
    },
    claims,
  });
  const result = (await fn(viaCloudFront(event), lambdaContext())) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    cookies: result.cookies ?? [],
    json: (result.body ? JSON.parse(result.body) : undefined) as Json,
  };
}

const login = { email: 'Ada@Example.com', password: 'Correct-Horse-9' };

async function send(method: 'GET' | 'DELETE', path: string, claims: Record<string, string>, body?: unknown) {
  const event = apiEvent({
    method,
    path,
    claims,
    headers: { authorization: 'Bearer access-token-1', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const result = (await meHandler(
    viaCloudFront(event),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, json: (result.body ? JSON.parse(result.body) : undefined) as Json };
}

describe('sign-up', () => {
  it('creates the account with the e-mail in lower case as username and keeps the display name', async () => {
    cognito.on(SignUpCommand).resolves({ UserSub: 'sub-1', UserConfirmed: false });
    const res = await post('/api/auth/signup', { ...login, displayName: 'Ada L.' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ userId: 'sub-1', confirmed: false });
    const input = cognito.commandCalls(SignUpCommand)[0]!.args[0].input;
    expect(input.Username).toBe('ada@example.com');
    expect(input.UserAttributes).toEqual([
      { Name: 'email', Value: 'ada@example.com' },
      { Name: 'name', Value: 'Ada L.' },
    ]);
  });

  it('maps UsernameExistsException to 409 USERNAME_EXISTS', async () => {
    cognito.on(SignUpCommand).rejects(exception(UsernameExistsException));
    const res = await post('/api/auth/signup', login);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('USERNAME_EXISTS');
  });

  it('maps InvalidPasswordException to 400 with the pool’s rule in plain words, Cognito’s own in details', async () => {
    const rule = 'Password did not conform with policy: Password must have uppercase characters';
    cognito.on(SignUpCommand).rejects(exception(InvalidPasswordException, rule));
    const res = await post('/api/auth/signup', { ...login, password: 'lowercase-only-9' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(
      'Choose a password of at least 8 characters, with a lowercase letter, an uppercase letter and a digit. This one has no uppercase letter.',
    );
    expect(res.json.error.details[0]).toMatchObject({ field: 'password', reason: rule });
  });

  it.each([
    ['broken JSON', '{"email": "ada@example.com",'],
    ['a missing password', { email: 'ada@example.com' }],
    ['an extra field', { ...login, admin: true }],
    ['an e-mail that is not one', { ...login, email: 'ada-at-example' }],
    ['a password over 256 characters', { ...login, password: `A1${'x'.repeat(255)}` }],
    ['a display name over 80 characters', { ...login, displayName: 'x'.repeat(81) }],
    ['a display name with control characters', { ...login, displayName: 'Ada\nLovelace' }],
  ])('rejects %s with 400 and makes no Cognito call', async (_case, body) => {
    const res = await post('/api/auth/signup', body);
    expect(res.status).toBe(400);
    expect(['INVALID_JSON', 'VALIDATION_FAILED']).toContain(res.json.error.code);
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('confirm, resend and reset', () => {
  it.each([
    [CodeMismatchException, 400, 'CODE_MISMATCH'],
    [ExpiredCodeException, 400, 'CODE_EXPIRED'],
    [UserNotFoundException, 400, 'CODE_MISMATCH'],
    [LimitExceededException, 429, 'RATE_LIMITED'],
  ] as const)('confirm maps %o to %i %s', async (Type, status, code) => {
    cognito.on(ConfirmSignUpCommand).rejects(exception(Type));
    const res = await post('/api/auth/confirm', { email: 'ada@example.com', code: '123456' });
    expect(res.status).toBe(status);
    expect(res.json.error.code).toBe(code);
  });

  it('answers confirm with 204', async () => {
    cognito.on(ConfirmSignUpCommand).resolves({});
    expect((await post('/api/auth/confirm', { email: 'ada@example.com', code: '123456' })).status).toBe(204);
  });

  it('answers resend-code 204 even for an unknown e-mail', async () => {
    cognito.on(ResendConfirmationCodeCommand).rejects(exception(UserNotFoundException));
    expect((await post('/api/auth/resend-code', { email: 'nobody@example.com' })).status).toBe(204);
  });

  it('answers forgot-password 204 whether or not the account exists', async () => {
    cognito.on(ForgotPasswordCommand).resolvesOnce({}).rejectsOnce(exception(UserNotFoundException));
    expect((await post('/api/auth/password/forgot', { email: 'ada@example.com' })).status).toBe(204);
    expect((await post('/api/auth/password/forgot', { email: 'nobody@example.com' })).status).toBe(204);
  });

  it('reports a failed code delivery as the provider being unavailable', async () => {
    cognito.on(ForgotPasswordCommand).rejects(exception(CodeDeliveryFailureException));
    const res = await post('/api/auth/password/forgot', { email: 'ada@example.com' });
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('maps a wrong reset code to 400 CODE_MISMATCH and a weak new password to 400 on newPassword', async () => {
    cognito
      .on(ConfirmForgotPasswordCommand)
      .rejectsOnce(exception(CodeMismatchException))
      .rejectsOnce(exception(InvalidPasswordException, 'Password not long enough'));
    const body = { email: 'ada@example.com', code: '1', newPassword: 'short' };
    expect((await post('/api/auth/password/reset', body)).json.error.code).toBe('CODE_MISMATCH');
    const weak = await post('/api/auth/password/reset', body);
    expect(weak.status).toBe(400);
    expect(weak.json.error.details[0].field).toBe('newPassword');
  });

  it('signs the user out everywhere after a reset, by the e-mail, and records the time under their id', async () => {
    cognito.on(ConfirmForgotPasswordCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'user-9',
      UserAttributes: [{ Name: 'sub', Value: 'user-9' }],
    });
    dynamo.on(UpdateCommand).resolves({});
    const body = { email: 'Ada@Example.com', code: '123456', newPassword: 'Battery-Staple-7' };
    expect((await post('/api/auth/password/reset', body)).status).toBe(204);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]!.args[0].input).toEqual({
      UserPoolId: 'us-east-1_Example1',
      Username: 'ada@example.com',
    });
    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.Key).toEqual({ pk: 'USER#user-9', sk: 'PROFILE' });
    expect(update.ExpressionAttributeValues?.[':at']).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000) - 2,
    );
  });

  it('signs nobody out when the reset code is wrong', async () => {
    cognito.on(ConfirmForgotPasswordCommand).rejects(exception(CodeMismatchException));
    const body = { email: 'ada@example.com', code: '1', newPassword: 'Battery-Staple-7' };
    expect((await post('/api/auth/password/reset', body)).status).toBe(400);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('login and refresh', () => {
  it('answers tokens with tokenType Bearer', async () => {
    cognito.on(InitiateAuthCommand).resolves({
      AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
    });
    const res = await post('/api/auth/login', login);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      accessToken: 'a',
      idToken: 'i',
      refreshToken: 'r',
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
    expect(cognito.commandCalls(InitiateAuthCommand)[0]!.args[0].input).toMatchObject({
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ada@example.com' },
    });
    expect(res.cookies).toEqual([
      'easel_refresh=r; Max-Age=2592000; Path=/api/auth; HttpOnly; Secure; SameSite=Strict',
    ]);
  });

  it('gives a wrong password and an unknown user the identical 401 INVALID_CREDENTIALS answer', async () => {
    cognito
      .on(InitiateAuthCommand)
      .rejectsOnce(exception(NotAuthorizedException, 'Incorrect username or password.'))
      .rejectsOnce(exception(UserNotFoundException, 'User does not exist.'));
    const wrong = await post('/api/auth/login', login);
    const unknown = await post('/api/auth/login', { ...login, email: 'nobody@example.com' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toEqual(unknown.json.error);
    expect(wrong.json.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('maps UserNotConfirmedException to 401 USER_NOT_CONFIRMED', async () => {
    cognito.on(InitiateAuthCommand).rejects(exception(UserNotConfirmedException));
    const res = await post('/api/auth/login', login);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('USER_NOT_CONFIRMED');
  });

  it('maps TooManyRequestsException to 429 with Retry-After', async () => {
    cognito.on(InitiateAuthCommand).rejects(exception(TooManyRequestsException));
    const res = await post('/api/auth/login', login);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refreshes with REFRESH_TOKEN_AUTH and refuses a revoked refresh token with 401', async () => {
    cognito
      .on(InitiateAuthCommand)
      .resolvesOnce({ AuthenticationResult: { AccessToken: 'a2', IdToken: 'i2', ExpiresIn: 3600 } })
      .rejectsOnce(exception(NotAuthorizedException, 'Refresh Token has been revoked'));
    const res = await post('/api/auth/refresh', { refreshToken: 'r' });
    expect(res.json).toEqual({ accessToken: 'a2', idToken: 'i2', expiresIn: 3600, tokenType: 'Bearer' });
    const revoked = await post('/api/auth/refresh', { refreshToken: 'r' });
    expect(revoked.status).toBe(401);
    expect(revoked.json.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('logout and the profile', () => {
  const claims = { sub: 'user-7', iat: String(Math.floor(Date.now() / 1000) - 10) };

  it('records the sign-out time and signs out everywhere in Cognito', async () => {
    cognito.on(GlobalSignOutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    const res = await post('/api/auth/logout', undefined, authHandler, claims);
    expect(res.status).toBe(204);
    expect(cognito.commandCalls(GlobalSignOutCommand)[0]!.args[0].input.AccessToken).toBe('access-token-1');
    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.Key).toEqual({ pk: 'USER#user-7', sk: 'PROFILE' });
    expect(update.ExpressionAttributeValues?.[':at']).toBeGreaterThanOrEqual(Number(claims.iat));
  });

  it('refuses a token issued before the last sign-out with 401', async () => {
    dynamo.on(GetCommand).resolves({ Item: { revokedBefore: Number(claims.iat) + 5 } });
    const event = apiEvent({
      method: 'GET',
      path: '/api/me',
      claims,
      headers: { authorization: 'Bearer t' },
    });
    const result = (await meHandler(
      viaCloudFront(event),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(401);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('creates the profile from the Cognito attributes the first time it is read', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    cognito.on(GetUserCommand).resolves({
      Username: 'user-8',
      UserAttributes: [
        { Name: 'email', Value: 'grace@example.com' },
        { Name: 'name', Value: 'Grace' },
      ],
    });
    const event = apiEvent({
      method: 'GET',
      path: '/api/me',
      claims: { sub: 'user-8', iat: claims.iat },
      headers: { authorization: 'Bearer t' },
    });
    const result = (await meHandler(
      viaCloudFront(event),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toMatchObject({
      userId: 'user-8',
      email: 'grace@example.com',
      displayName: 'Grace',
      usage: { imagesToday: 0, quotaPerDay: 50, descriptionsToday: 0, descriptionsPerDay: 100 },
    });
    const [create, counted] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(create!.Update!.ConditionExpression).toBe('attribute_not_exists(email)');
    expect(Object.values(counted!.Update!.ExpressionAttributeNames!)).toEqual(['users']);
  });
});

describe('MFA with an authenticator app', () => {
  const claims = { sub: 'user-9', iat: String(Math.floor(Date.now() / 1000) - 10) };
  const profile = {
    pk: 'USER#user-9',
    sk: 'PROFILE',
    userId: 'user-9',
    email: 'ada@example.com',
    displayName: 'Ada',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  };

  beforeEach(() => {
    dynamo.on(GetCommand).resolves({ Item: profile });
    // The rate limiter's writes and the profile's, which answers the profile written.
    dynamo.on(UpdateCommand).resolves({ Attributes: profile });
  });

  it('answers a challenged login with the challenge and its session: no token, no cookie', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'sess-1' });
    const res = await post('/api/auth/login', login);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: 'sess-1' });
    expect(res.cookies).toEqual([]);
  });

  it('finishes the login with the code: RespondToAuthChallenge, then the usual tokens and cookie', async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves({
      AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
    });
    const res = await post('/api/auth/mfa', { email: login.email, session: 'sess-1', code: ' 123456 ' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      accessToken: 'a',
      idToken: 'i',
      refreshToken: 'r',
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
    expect(res.cookies[0]).toMatch(/^easel_refresh=r;/);
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toEqual({
      ClientId: 'client-1',
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: 'sess-1',
      ChallengeResponses: { USERNAME: 'ada@example.com', SOFTWARE_TOKEN_MFA_CODE: '123456' },
    });
  });

  it.each([
    [CodeMismatchException, 400, 'CODE_MISMATCH'],
    [NotAuthorizedException, 401, 'SESSION_EXPIRED'],
  ] as const)('answers the challenge’s %o with %i %s', async (Type, status, code) => {
    cognito.on(RespondToAuthChallengeCommand).rejects(exception(Type));
    const res = await post('/api/auth/mfa', { email: login.email, session: 'sess-1', code: '123456' });
    expect(res.status).toBe(status);
    expect(res.json.error.code).toBe(code);
    expect(res.cookies ?? []).toEqual([]);
  });

  it.each([['12345'], ['1234567'], ['abcdef'], ['']])(
    'refuses the code %j with 400 before asking Cognito',
    async (code) => {
      const res = await post('/api/auth/mfa', { email: login.email, session: 'sess-1', code });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_FAILED');
      expect(cognito.calls()).toHaveLength(0);
    },
  );

  it('starts the set-up with a new secret and its otpauth URI naming Easel and the e-mail', async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: 'JBSWY3DPEHPK3PXP' });
    const res = await post('/api/me/mfa/setup', undefined, meHandler, claims);
    expect(res.status).toBe(200);
    expect(res.json.secret).toBe('JBSWY3DPEHPK3PXP');
    const uri = new URL(res.json.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Easel:ada@example.com');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('Easel');
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)).toHaveLength(0);
  });

  it('turns MFA on only once the code is verified, as the preferred method', async () => {
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    cognito.on(SetUserMFAPreferenceCommand).resolves({});
    const res = await post('/api/me/mfa/verify', { code: '654321' }, meHandler, claims);
    expect(res.status).toBe(204);
    expect(cognito.commandCalls(VerifySoftwareTokenCommand)[0]!.args[0].input).toMatchObject({
      AccessToken: 'access-token-1',
      UserCode: '654321',
    });
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)[0]!.args[0].input).toEqual({
      AccessToken: 'access-token-1',
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    const remembered = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .find((input) => input.ExpressionAttributeValues?.[':mfaEnabled'] !== undefined);
    expect(remembered).toMatchObject({
      Key: { pk: 'USER#user-9', sk: 'PROFILE' },
      ExpressionAttributeValues: { ':mfaEnabled': true },
    });
  });

  it('leaves MFA as it was when the code is wrong', async () => {
    cognito.on(VerifySoftwareTokenCommand).rejects(exception(CodeMismatchException));
    const on = await post('/api/me/mfa/verify', { code: '000000' }, meHandler, claims);
    expect(on.status).toBe(400);
    expect(on.json.error.code).toBe('CODE_MISMATCH');
    const off = await send('DELETE', '/api/me/mfa', claims, { code: '000000' });
    expect(off.status).toBe(400);
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)).toHaveLength(0);
    const profileWrites = dynamo
      .commandCalls(UpdateCommand)
      .filter((call) => call.args[0].input.ExpressionAttributeValues?.[':mfaEnabled'] !== undefined);
    expect(profileWrites).toHaveLength(0);
  });

  it('turns MFA off, with or without a code', async () => {
    cognito.on(SetUserMFAPreferenceCommand).resolves({});
    expect((await send('DELETE', '/api/me/mfa', claims)).status).toBe(204);
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    expect((await send('DELETE', '/api/me/mfa', claims, { code: '111111' })).status).toBe(204);
    for (const call of cognito.commandCalls(SetUserMFAPreferenceCommand))
      expect(call.args[0].input.SoftwareTokenMfaSettings).toEqual({ Enabled: false, PreferredMfa: false });
    expect(cognito.commandCalls(VerifySoftwareTokenCommand)).toHaveLength(1);
  });

  it('tells in the profile whether MFA is on, from the profile item, without asking Cognito', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...profile, mfaEnabled: true } });
    const res = await send('GET', '/api/me', claims);
    expect(res.status).toBe(200);
    expect(res.json.mfaEnabled).toBe(true);
    dynamo.on(GetCommand).resolves({ Item: profile });
    expect((await send('GET', '/api/me', claims)).json.mfaEnabled).toBe(false);
    expect(cognito.calls()).toHaveLength(0);
  });
});
