import {
  type ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AnnouncingJobStore, announcingJobStore, type JobEvents } from '../domain/live/live-updates.ts';
import { type Clock, systemClock } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { liveConnectionsClient } from './clients/live-connections.ts';
import { jobRepository } from './job-repository.ts';
import { type LiveConnectionRepository, liveConnectionRepository } from './live-connection-repository.ts';

/**
 * Job changes to the owner's sockets through API Gateway's management API: one query for
 * the sockets, the posts in parallel. A socket that is gone (410) is forgotten; any other
 * failure is logged and the rest still hear it.
 */
export function socketJobEvents(
  connections: LiveConnectionRepository,
  management: ApiGatewayManagementApiClient,
  clock: Clock,
): JobEvents {
  return {
    async publish(ownerId, event) {
      const open = await connections.listConnections(ownerId, Math.floor(clock.now().getTime() / 1000));
      if (open.length === 0) return;
      const data = new TextEncoder().encode(JSON.stringify(event));
      await Promise.all(
        open.map(async ({ connectionId }) => {
          try {
            await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
          } catch (error) {
            if (error instanceof GoneException) {
              await connections.forgetConnection(ownerId, connectionId).catch((reason: unknown) => {
                logger.warn('a gone socket could not be forgotten', { connectionId, error: reason as Error });
              });
              return;
            }
            logger.warn('a job change could not be posted to a socket', {
              connectionId,
              jobId: event.jobId,
              error: error as Error,
            });
          }
        }),
      );
    },
  };
}

/** The jobs of the table, each status written told to the owner's sockets. */
export function announcedJobRepository(
  db: DynamoDBDocumentClient,
  config: { readonly TABLE_NAME: string; readonly LIVE_CONNECTIONS_URL: string },
): AnnouncingJobStore {
  return announcingJobStore(
    jobRepository(db, config.TABLE_NAME),
    socketJobEvents(
      liveConnectionRepository(db, config.TABLE_NAME),
      liveConnectionsClient(config.LIVE_CONNECTIONS_URL),
      systemClock,
    ),
  );
}
