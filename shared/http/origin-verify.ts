import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ForbiddenError } from '../errors.ts';

/**
 * The header CloudFront adds to every request it sends to the HTTP API, holding the stack's
 * origin secret; a viewer's own header of that name is replaced. A request without it came
 * straight to the execute-api endpoint, around the edge's headers, caching and logs.
 */
export const originVerifyHeader = 'x-easel-origin-verify';

function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Refuses a request that did not pass through CloudFront with 403, before anything reads
 * it, and drops the header, so no handler or log ever holds the secret.
 */
export function originVerify(
  secret: string,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: async ({ event }) => {
      const sent = event.headers?.[originVerifyHeader];
      if (event.headers) delete event.headers[originVerifyHeader];
      if (sent === undefined || !sameSecret(sent, secret)) {
        throw new ForbiddenError(
          "This API answers only through the site's own address (<site>/api); this request came around it.",
        );
      }
    },
  };
}
