import { NotFoundError } from '../shared/errors.ts';
import { openApiDocument } from '../shared/http/openapi.ts';
import { ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routeList, routes } from '../shared/http/routes.ts';

// Built once per container: the document only changes with a deployment.
const document = openApiDocument(routeList, process.env.EASEL_VERSION ?? '0.1.0');

export const handler = httpRouter([
  bind(routes.getHealth, async () => ok({ status: 'ok' })),
  bind(routes.getOpenApi, async () => ok(document, { 'cache-control': 'public, max-age=300' })),
  bind(routes.notFound, async ({ event }) => {
    throw new NotFoundError(`No route ${event.requestContext.http.method} ${event.rawPath}.`);
  }),
]);
