import * as z from 'zod/mini';
import { meta } from './meta.ts';

export const ErrorBody = meta(
  z.object({
    error: z.object({
      code: meta(z.string(), { example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.optional(z.array(z.unknown())),
    }),
    requestId: z.string(),
  }),
  { id: 'Error' },
);

/**
 * What API Gateway's JWT authorizer answers in AWS when it refuses a token, before any function
 * runs: its own body, not the API's error format (an HTTP API cannot change it).
 */
export const GatewayRefusal = meta(z.object({ message: meta(z.string(), { example: 'Unauthorized' }) }), {
  id: 'GatewayRefusal',
});

export const HealthResponse = meta(z.object({ status: z.literal('ok') }), { id: 'Health' });

/** This API's own description; only its frame is checked here (it is generated from the routes). */
export const OpenApiDocument = meta(
  z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
  { id: 'OpenApiDocument' },
);
