import { ErrorBody } from '../../schemas/common.ts';
import {
  AcceptedJob,
  CreateGenerationRequest,
  IdempotencyHeaders,
  Job,
  JobIdParams,
  JobPage,
  ListJobsQuery,
} from '../../schemas/generation.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { toJob } from '../route-links.ts';

/**
 * The routes api-generations serves, in a module of their own so that its bundle carries their schemas
 * and no other function's. ../routes.ts gathers every function's into the one route table.
 */
export const routes = {
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
      202: { description: 'Queued', schema: AcceptedJob, links: { job: toJob } },
      404: { description: '`NOT_FOUND`: characterId names no character of mine', schema: ErrorBody },
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
      200: {
        description: 'The job',
        schema: Job,
        links: {
          image: {
            operationId: 'getImage',
            parameters: { imageId: '$response.body#/imageIds/0' },
            description: 'The first image the job made, once it has SUCCEEDED',
          },
        },
      },
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
} satisfies Record<string, RouteDefinition>;
