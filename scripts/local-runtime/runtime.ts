import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { routeList } from '../../shared/http/routes.ts';
import { queues } from '../../shared/resources.ts';
import { type LambdaHandler, loadFunction as loadProjectFunction } from './functions.ts';
import { type ApiServer, startApiServer } from './http-server.ts';
import { type QueuePoller, startQueuePoller } from './queue-poller.ts';

export interface RuntimeResources {
  readonly region: string;
  readonly imageBucket: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly jwksUri: string;
  /** Main queue and dead-letter queue URL of each queue of `shared/resources.ts`. */
  readonly queueUrls: Record<keyof typeof queues, { main: string; dlq: string }>;
}

export interface LocalRuntimeOptions {
  readonly port: number;
  readonly host?: string;
  readonly resources: RuntimeResources;
  readonly webRoot?: string;
  /** Which function modules serve the workers; tests may swap one. */
  readonly loadFunction?: (name: string) => Promise<LambdaHandler>;
  /** Leave the queues alone (for tests that drive them themselves). */
  readonly pollQueues?: boolean;
  readonly log?: (line: string) => void;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

/**
 * API Gateway, the JWT authorizer, CloudFront's `/img/*` origin and the SQS event source
 * mappings, on one machine. The function modules are the ones Lambda runs; the
 * environment they read must already be set (see `functionEnv`).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const { resources } = options;
  const load = options.loadFunction ?? loadProjectFunction;
  const sqs = new SQSClient({ region: resources.region });
  const s3 = new S3Client({ region: resources.region, forcePathStyle: true });
  const verifyToken = createTokenVerifier({
    userPoolId: resources.userPoolId,
    clientId: resources.userPoolClientId,
    jwksUri: resources.jwksUri,
  });

  const server: ApiServer = await startApiServer({
    port: options.port,
    host: options.host,
    routes: routeList,
    loadFunction: load,
    verifyToken,
    region: resources.region,
    webRoot: options.webRoot,
    log: options.log,
    getImage: async (key) => {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: resources.imageBucket, Key: key }));
        return { body: await object.Body!.transformToByteArray(), contentType: object.ContentType };
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
  });

  const pollers: QueuePoller[] = [];
  if (options.pollQueues !== false) {
    for (const [name, queue] of Object.entries(queues) as [
      keyof typeof queues,
      (typeof queues)[keyof typeof queues],
    ][]) {
      const urls = resources.queueUrls[name];
      const common = { sqs, region: resources.region, loadFunction: load, log: options.log };
      // Lambda's own limit for a function consuming a queue: the visibility timeout bounds it.
      const functionTimeoutMs = (queue.visibilityTimeoutSeconds - 10) * 1000;
      pollers.push(
        startQueuePoller({
          ...common,
          queueUrl: urls.main,
          queueArn: await queueArn(sqs, urls.main),
          functionName: queue.worker,
          batchSize: queue.batchSize,
          concurrency: Math.min(queue.maxConcurrency, 4),
          functionTimeoutMs,
        }),
        startQueuePoller({
          ...common,
          queueUrl: urls.dlq,
          queueArn: await queueArn(sqs, urls.dlq),
          functionName: queue.dlqWorker,
          batchSize: 10,
          concurrency: 1,
          functionTimeoutMs,
        }),
      );
    }
  }

  return {
    url: server.url,
    port: server.port,
    stop: async () => {
      await Promise.all(pollers.map((poller) => poller.stop()));
      await server.close();
      sqs.destroy();
      s3.destroy();
    },
  };
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;
