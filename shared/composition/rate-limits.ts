import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { dynamoRateLimiter } from '../adapters/dynamo-rate-limiter.ts';
import { systemClock } from '../domain/ports.ts';
import { once } from './once.ts';
import type { TableConfig } from './table.ts';

/** Each user's writes per minute (see shared/domain/limits.ts). */
export const rateLimiter = /* @__PURE__ */ once((config: TableConfig) =>
  dynamoRateLimiter(dynamoDocumentClient(), config.TABLE_NAME, systemClock),
);
