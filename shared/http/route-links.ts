/* Links and answers that routes of several functions share. */
import { ErrorBody } from '../schemas/common.ts';
import type { RouteLink } from './route.ts';

export const toJob: RouteLink = {
  operationId: 'getJob',
  parameters: { jobId: '$response.body#/jobId' },
  description: 'The job, to follow until it SUCCEEDED or FAILED',
};
export const toImage: RouteLink = {
  operationId: 'getImage',
  parameters: { imageId: '$response.body#/imageId' },
};
export const toCharacter = (operationId: string): RouteLink => ({
  operationId,
  parameters: { characterId: '$response.body#/characterId' },
});
export const toComment = (operationId: string): RouteLink => ({
  operationId,
  parameters: { imageId: '$response.body#/imageId', commentId: '$response.body#/commentId' },
});

/** What the account service (Cognito) may answer any account route besides its own refusals. */
export const accountServiceErrors = {
  429: { description: '`RATE_LIMITED`: too many attempts; with Retry-After', schema: ErrorBody },
} as const;
