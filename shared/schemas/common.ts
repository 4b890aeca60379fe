import * as z from 'zod';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.array(z.unknown()).optional(),
    }),
    requestId: z.string(),
  })
  .meta({ id: 'Error' });

/**
 * What API Gateway's JWT authorizer answers in AWS when it refuses a token, before any function
 * runs: its own body, not the API's error format (an HTTP API cannot change it).
 */
export const GatewayRefusal = z
  .object({ message: z.string().meta({ example: 'Unauthorized' }) })
  .meta({ id: 'GatewayRefusal' });

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

/** This API's own description; only its frame is checked here (it is generated from the routes). */
export const OpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ id: 'OpenApiDocument' });
