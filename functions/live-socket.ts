import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { liveConnections } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { type LiveDeps, openConnection } from '../shared/domain/live/live-updates.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { originVerifyHeader } from '../shared/http/origin-verify.ts';
import { newToken } from '../shared/ids.ts';
import { logger } from '../shared/logger.ts';

const config = loadConfig(functionConfig['live-socket']);
const originSecret = await loadOriginSecret(config);
const connections = liveConnections(config);
const deps: LiveDeps = { connections, clock: systemClock, newTicket: newToken };

/** `$connect` carries the upgrade's query and headers; API Gateway's WebSocket event types leave them out. */
type SocketEvent = APIGatewayProxyWebsocketEventV2 & {
  readonly queryStringParameters?: Record<string, string | undefined>;
  readonly headers?: Record<string, string | undefined>;
};

/** A refusal of `$connect` is the status of the upgrade's answer; its body is the reason, for people. */
const answer = (statusCode: number, message?: string): APIGatewayProxyResult => ({
  statusCode,
  body: message ? JSON.stringify({ error: { code: codeOf[statusCode] ?? 'OK', message } }) : '',
});
const codeOf: Record<number, string> = {
  401: 'TICKET_REFUSED',
  403: 'FORBIDDEN',
  429: 'TOO_MANY_CONNECTIONS',
};

function cameThroughCloudFront(headers: SocketEvent['headers']): boolean {
  const sent = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === originVerifyHeader)?.[1];
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(originSecret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The live-updates socket: `$connect` spends its ticket and keeps the connection,
 * `$disconnect` forgets it, and anything the page sends (`$default`) is ignored: the
 * socket only carries job changes to the page.
 */
export const handler = async (event: SocketEvent): Promise<APIGatewayProxyResult> => {
  const { routeKey, connectionId } = event.requestContext;
  logger.appendKeys({ connectionId, routeKey });
  try {
    switch (routeKey) {
      case '$connect': {
        if (!cameThroughCloudFront(event.headers))
          return answer(403, "Live updates open only through the site's own address (<site>/api/live).");
        const { outcome, userId } = await openConnection(
          deps,
          event.queryStringParameters?.ticket,
          connectionId,
        );
        if (outcome === 'ticket-refused')
          return answer(401, 'This live-updates ticket is missing, used or expired; ask for a new one.');
        if (outcome === 'too-many')
          return answer(
            429,
            'You have 10 live-update connections open already; close one (another tab) first.',
          );
        logger.info('socket connected', { userId });
        return answer(200);
      }
      case '$disconnect':
        await connections.removeConnection(connectionId);
        return answer(200);
      default:
        return answer(200);
    }
  } finally {
    logger.removeKeys(['connectionId', 'routeKey']);
  }
};
