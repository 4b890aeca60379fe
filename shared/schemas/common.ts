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

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
