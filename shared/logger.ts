import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per container; every function logs through it. */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'easel',
  persistentKeys: { stage: process.env.STAGE ?? 'local' },
});

/** Correlation ids travel in this header over HTTP and in this attribute over SQS. */
export const correlationHeader = 'x-correlation-id';
export const correlationAttribute = 'correlationId';

const safeId = /^[\w.:-]{1,128}$/;

/** A caller-supplied id is kept only if it is short and plain, so it cannot forge log lines. */
export function pickCorrelationId(candidate: string | undefined, fallback: string): string {
  return candidate && safeId.test(candidate) ? candidate : fallback;
}
