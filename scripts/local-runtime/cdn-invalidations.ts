import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One CreateInvalidation the functions sent, as CloudFront would have received it. */
export interface Invalidation {
  readonly distributionId: string;
  readonly paths: readonly string[];
  readonly createdAt: string;
}

const invalidationPath = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/;

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const xmlText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const unescapeXml = (text: string) =>
  text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/**
 * CloudFront's CreateInvalidation, for the functions' `AWS_ENDPOINT_URL_CLOUDFRONT`. Locally
 * `/img/*` is read from the bucket on every request, so there is no cache to drop: the
 * invalidations are kept and listed (`GET /__local/invalidations`), so the real adapter's
 * calls can be seen and checked. Only the stack's own distribution id is known; any other
 * is CloudFront's 404 `NoSuchDistribution`.
 */
export async function startCdnInvalidations(options: {
  readonly distributionId: string;
  readonly log?: (line: string) => void;
}) {
  const log = options.log ?? (() => undefined);
  const invalidations: Invalidation[] = [];
  const server = createServer(async (request, response) => {
    const match = request.method === 'POST' ? invalidationPath.exec(request.url ?? '') : null;
    const body = await bodyOf(request);
    const fault = (status: number, code: string, message: string) =>
      response
        .writeHead(status, { 'content-type': 'text/xml' })
        .end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlText(message)}</Message></Error></ErrorResponse>`,
        );
    if (!match)
      return fault(
        400,
        'InvalidArgument',
        `Only CreateInvalidation is served locally, not ${request.method} ${request.url}.`,
      );
    const distributionId = decodeURIComponent(match[1]!);
    if (distributionId !== options.distributionId)
      return fault(404, 'NoSuchDistribution', `The specified distribution ${distributionId} does not exist.`);
    const paths = [...body.matchAll(/<Path>([^<]*)<\/Path>/g)].map((found) => unescapeXml(found[1]!));
    const reference = /<CallerReference>([^<]*)<\/CallerReference>/.exec(body)?.[1] ?? '';
    if (paths.length === 0) return fault(400, 'InvalidArgument', 'An invalidation needs at least one path.');
    const invalidation: Invalidation = { distributionId, paths, createdAt: new Date().toISOString() };
    invalidations.push(invalidation);
    log(`CDN invalidation of ${paths.join(' ')}`);
    const id = `I${randomUUID().replaceAll('-', '').slice(0, 13).toUpperCase()}`;
    response
      .writeHead(201, { 'content-type': 'text/xml', location: `${request.url}/${id}` })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${id}</Id><Status>Completed</Status><CreateTime>${invalidation.createdAt}</CreateTime><InvalidationBatch><Paths><Quantity>${paths.length}</Quantity><Items>${paths.map((path) => `<Path>${xmlText(path)}</Path>`).join('')}</Items></Paths><CallerReference>${reference}</CallerReference></InvalidationBatch></Invalidation>`,
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Newest first. */
    list: () => ({ items: [...invalidations].reverse() }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
