import {
  ConfirmRequest,
  EmailRequest,
  LoginRequest,
  PatchProfileRequest,
  Profile,
  RefreshedTokens,
  RefreshRequest,
  ResetPasswordRequest,
  SignupRequest,
  SignupResponse,
  Tokens,
} from '../schemas/accounts.ts';
import { PublicConfig, StyleList } from '../schemas/catalogue.ts';
import { ErrorBody, HealthResponse } from '../schemas/common.ts';
import {
  AcceptedJob,
  CreateGenerationRequest,
  IdempotencyHeaders,
  Job,
  JobIdParams,
  JobPage,
  ListJobsQuery,
} from '../schemas/generation.ts';
import { ImageDetail, ImageIdParams } from '../schemas/images.ts';
import { defineRoute, type RouteDefinition } from './route.ts';

/**
 * Every HTTP route of Easel. The CDK app creates API Gateway routes and their Lambda
 * integrations from this list, the local runtime serves it, and the OpenAPI document
 * is generated from it.
 */
export const routes = {
  getHealth: defineRoute({
    operationId: 'getHealth',
    method: 'GET',
    path: '/api/health',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'Liveness check',
    tags: ['catalogue'],
    responses: { 200: { description: 'The API is up', schema: HealthResponse } },
  }),
  getOpenApi: defineRoute({
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/api/openapi.json',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['catalogue'],
    responses: { 200: { description: 'The OpenAPI document' } },
  }),
  getStyles: defineRoute({
    operationId: 'getStyles',
    method: 'GET',
    path: '/api/styles',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'The visual styles a generation can use',
    tags: ['catalogue'],
    responses: { 200: { description: 'The styles', schema: StyleList } },
  }),
  getConfig: defineRoute({
    operationId: 'getConfig',
    method: 'GET',
    path: '/api/config',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'The settings a client needs: sizes, qualities, limits, quota',
    tags: ['catalogue'],
    responses: { 200: { description: 'The settings', schema: PublicConfig } },
  }),
  createGeneration: defineRoute({
    operationId: 'createGeneration',
    method: 'POST',
    path: '/api/generations',
    function: 'api-generations',
    auth: 'user',
    summary: 'Generate images from a prompt; the work is queued',
    tags: ['generation'],
    request: { body: CreateGenerationRequest, headers: IdempotencyHeaders },
    responses: {
      202: { description: 'Queued', schema: AcceptedJob },
      409: { description: '`IDEMPOTENCY_KEY_REUSED`: the key came with another body', schema: ErrorBody },
      429: { description: '`QUOTA_EXCEEDED`, with Retry-After', schema: ErrorBody },
    },
  }),
  getJob: defineRoute({
    operationId: 'getJob',
    method: 'GET',
    path: '/api/jobs/{jobId}',
    function: 'api-generations',
    auth: 'user',
    summary: 'One of my jobs',
    tags: ['generation'],
    request: { params: JobIdParams },
    responses: {
      200: { description: 'The job', schema: Job },
      404: { description: 'No such job of mine', schema: ErrorBody },
    },
  }),
  listJobs: defineRoute({
    operationId: 'listJobs',
    method: 'GET',
    path: '/api/jobs',
    function: 'api-generations',
    auth: 'user',
    summary: 'My jobs, newest first',
    tags: ['generation'],
    request: { query: ListJobsQuery },
    responses: { 200: { description: 'A page of jobs', schema: JobPage } },
  }),
  getImage: defineRoute({
    operationId: 'getImage',
    method: 'GET',
    path: '/api/images/{imageId}',
    function: 'api-images',
    auth: 'optional',
    summary: 'An image: mine, or anyone’s shared one, with its first page of comments',
    tags: ['images'],
    request: { params: ImageIdParams },
    responses: {
      200: { description: 'The image', schema: ImageDetail },
      404: { description: 'Missing, or someone else’s private image', schema: ErrorBody },
    },
  }),
  signUp: defineRoute({
    operationId: 'signUp',
    method: 'POST',
    path: '/api/auth/signup',
    function: 'api-auth',
    auth: 'public',
    summary: 'Create an account; Cognito e-mails a confirmation code',
    tags: ['accounts'],
    request: { body: SignupRequest },
    responses: {
      201: { description: 'Created, not yet confirmed', schema: SignupResponse },
      409: { description: '`USERNAME_EXISTS`: the e-mail has an account', schema: ErrorBody },
    },
  }),
  confirmSignUp: defineRoute({
    operationId: 'confirmSignUp',
    method: 'POST',
    path: '/api/auth/confirm',
    function: 'api-auth',
    auth: 'public',
    summary: 'Confirm the e-mail address with the code',
    tags: ['accounts'],
    request: { body: ConfirmRequest },
    responses: { 204: { description: 'Confirmed' } },
  }),
  resendCode: defineRoute({
    operationId: 'resendCode',
    method: 'POST',
    path: '/api/auth/resend-code',
    function: 'api-auth',
    auth: 'public',
    summary: 'Send the confirmation code again',
    tags: ['accounts'],
    request: { body: EmailRequest },
    responses: { 204: { description: 'Sent, if there is an unconfirmed account' } },
  }),
  logIn: defineRoute({
    operationId: 'logIn',
    method: 'POST',
    path: '/api/auth/login',
    function: 'api-auth',
    auth: 'public',
    summary: 'Log in with e-mail and password',
    tags: ['accounts'],
    request: { body: LoginRequest },
    responses: {
      200: { description: 'Tokens', schema: Tokens },
      401: { description: '`INVALID_CREDENTIALS` or `USER_NOT_CONFIRMED`', schema: ErrorBody },
    },
  }),
  refresh: defineRoute({
    operationId: 'refresh',
    method: 'POST',
    path: '/api/auth/refresh',
    function: 'api-auth',
    auth: 'public',
    summary: 'New access and ID tokens from a refresh token',
    tags: ['accounts'],
    request: { body: RefreshRequest },
    responses: { 200: { description: 'Tokens', schema: RefreshedTokens } },
  }),
  logOut: defineRoute({
    operationId: 'logOut',
    method: 'POST',
    path: '/api/auth/logout',
    function: 'api-auth',
    auth: 'user',
    summary: 'Sign out everywhere: every token of the user is revoked',
    tags: ['accounts'],
    responses: { 204: { description: 'Signed out' } },
  }),
  forgotPassword: defineRoute({
    operationId: 'forgotPassword',
    method: 'POST',
    path: '/api/auth/password/forgot',
    function: 'api-auth',
    auth: 'public',
    summary: 'E-mail a password reset code',
    tags: ['accounts'],
    request: { body: EmailRequest },
    responses: { 204: { description: 'Sent, if there is such an account' } },
  }),
  resetPassword: defineRoute({
    operationId: 'resetPassword',
    method: 'POST',
    path: '/api/auth/password/reset',
    function: 'api-auth',
    auth: 'public',
    summary: 'Set a new password with the e-mailed code',
    tags: ['accounts'],
    request: { body: ResetPasswordRequest },
    responses: { 204: { description: 'Password changed' } },
  }),
  getMe: defineRoute({
    operationId: 'getMe',
    method: 'GET',
    path: '/api/me',
    function: 'api-me',
    auth: 'user',
    summary: 'My profile and usage today',
    tags: ['accounts'],
    responses: { 200: { description: 'The profile', schema: Profile } },
  }),
  patchMe: defineRoute({
    operationId: 'patchMe',
    method: 'PATCH',
    path: '/api/me',
    function: 'api-me',
    auth: 'user',
    summary: 'Change my display name or bio',
    tags: ['accounts'],
    request: { body: PatchProfileRequest },
    responses: { 200: { description: 'The profile', schema: Profile } },
  }),
  notFound: defineRoute({
    operationId: 'notFound',
    method: 'ANY',
    path: '/api/{proxy+}',
    function: 'api-catalogue',
    auth: 'public',
    summary: 'Any path under /api that no other route serves: 404 in the error format',
    tags: ['catalogue'],
    responses: { 404: { description: 'No such route', schema: ErrorBody } },
  }),
} satisfies Record<string, RouteDefinition>;

export type RouteId = keyof typeof routes;

export const routeList: readonly RouteDefinition[] = Object.values(routes);

/** The Lambda functions that serve HTTP routes, each with the routes it serves. */
export function apiFunctions(): Map<string, RouteDefinition[]> {
  const byFunction = new Map<string, RouteDefinition[]>();
  for (const route of routeList) {
    const list = byFunction.get(route.function) ?? [];
    list.push(route);
    byFunction.set(route.function, list);
  }
  return byFunction;
}
