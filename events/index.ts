import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** A sample event from this folder, deep-copied so a test may change it freely. */
export function sampleEvent<T = APIGatewayProxyEventV2>(name: string): T {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, `${name}.json`), 'utf8')) as T;
}

/** A sample HTTP API event for another route, method, body or headers. */
export function apiEvent(
  overrides: {
    method?: string;
    path?: string;
    routeKey?: string;
    body?: string;
    headers?: Record<string, string>;
    pathParameters?: Record<string, string>;
    queryStringParameters?: Record<string, string>;
    claims?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const event = sampleEvent(
    overrides.claims ? 'api-authorized-post' : 'api-get-health',
  ) as APIGatewayProxyEventV2 & {
    requestContext: { authorizer?: { jwt: { claims: Record<string, string> } } };
  };
  const method = overrides.method ?? event.requestContext.http.method;
  const routePath = overrides.path ?? event.rawPath;
  event.routeKey = overrides.routeKey ?? `${method} ${routePath}`;
  event.requestContext.routeKey = event.routeKey;
  event.rawPath = routePath;
  event.requestContext.http.method = method;
  event.requestContext.http.path = routePath;
  event.body = overrides.body;
  event.headers = { ...event.headers, ...overrides.headers };
  if (overrides.pathParameters) event.pathParameters = overrides.pathParameters;
  if (overrides.queryStringParameters) event.queryStringParameters = overrides.queryStringParameters;
  if (overrides.claims && event.requestContext.authorizer) {
    event.requestContext.authorizer.jwt.claims = {
      ...event.requestContext.authorizer.jwt.claims,
      ...overrides.claims,
    };
  }
  return event;
}

/** A Lambda context for invoking a handler directly. */
export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/22/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
