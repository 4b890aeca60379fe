import { z } from 'zod';

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

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

/** This API's own description; only its frame is checked here (it is generated from the routes). */
export const OpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ id: 'OpenApiDocument' });
