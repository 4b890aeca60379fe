import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { loadConfig } from '../shared/config.ts';
import { styles } from '../shared/domain/catalogue/styles.ts';
import { generationSettings } from '../shared/domain/generation/generation-settings.ts';
import { limits, maxPendingUploadTickets, writeRatesPerMinute } from '../shared/domain/limits.ts';
import { NotFoundError } from '../shared/errors.ts';
import { functionConfig } from '../shared/function-config.ts';
import { allowedMethods } from '../shared/http/allowed-methods.ts';
import { apiDocsContentSecurityPolicy, apiDocsPage } from '../shared/http/api-docs.ts';
import { MethodNotAllowedError } from '../shared/http/http-errors.ts';
import { schemaDocumentEncoded } from '../shared/http/openapi-schema-document.ts';
import { decodeSchemaDocument, type OpenApiJson, servedDocument } from '../shared/http/openapi-served.ts';
import { operations } from '../shared/http/operations.ts';
import { ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-catalogue.ts';
import { userPool } from '../shared/resources.ts';

const config = loadConfig(functionConfig['api-catalogue']);
const originSecret = await loadOriginSecret(config);
const settings = generationSettings(config);

let document: OpenApiJson | undefined;
/**
 * Made on the first request for it from the part the build wrote (the routes' schemas, see
 * scripts/generate-openapi.ts), then kept for the container's life: it only changes with a
 * deployment, and a cold start that serves no document does not make it.
 */
function openApi(): OpenApiJson {
  document ??= servedDocument(
    decodeSchemaDocument(schemaDocumentEncoded),
    process.env.EASEL_VERSION ?? '0.1.0',
    {
      styles: styles.map((style) => style.id),
      sizes: settings.sizes,
      qualities: settings.qualities,
      maxImagesPerRequest: settings.maxImagesPerRequest,
    },
  );
  return document;
}
const callable = Object.values(operations);
const styleList = { items: styles.map(({ id, name, description }) => ({ id, name, description })) };
const publicConfig = {
  imageModel: settings.model,
  sizes: settings.sizes,
  defaultSize: settings.defaultSize,
  qualities: settings.qualities,
  defaultQuality: settings.defaultQuality,
  pricesUsd: config.IMAGE_PRICES_USD,
  maxImagesPerRequest: settings.maxImagesPerRequest,
  maxPromptLength: limits.maxPromptLength,
  quotaPerDay: settings.quotaPerDay,
  descriptionsPerDay: config.DESCRIPTIONS_PER_DAY,
  writeRatesPerMinute,
  maxPendingUploadTickets,
  uploads: limits.uploads,
  maxCommentLength: limits.maxCommentLength,
  passwordPolicy: userPool.passwordPolicy,
};
// The reference page has no route cache of its own: anonymous callers may keep it this long.
const cacheable = { 'cache-control': 'public, max-age=300' };
const docsPage = apiDocsPage();

/** A path no route serves with this method: 405 with Allow when it takes others, else 404. */
async function noRoute({ event }: { event: APIGatewayProxyEventV2 }): Promise<never> {
  const { method } = event.requestContext.http;
  const allow = allowedMethods(callable, event.rawPath);
  if (allow.length > 0) throw new MethodNotAllowedError(method, event.rawPath, allow);
  throw new NotFoundError(`No route ${method} ${event.rawPath}.`);
}

export const handler = httpRouter(
  [
    bind(routes.getHealth, async () => ok({ status: 'ok' })),
    bind(routes.getOpenApi, async () => ok(openApi())),
    bind(
      routes.getApiDocs,
      async () => ({
        statusCode: 200,
        text: docsPage,
        headers: { 'content-type': 'text/html; charset=utf-8', ...cacheable },
      }),
      { contentSecurityPolicy: apiDocsContentSecurityPolicy },
    ),
    bind(routes.getStyles, async () => ok(styleList)),
    bind(routes.getConfig, async () => ok(publicConfig)),
    bind(routes.notFound, noRoute),
    bind(routes.sharedLinkOtherMethods, noRoute),
  ],
  { originSecret },
);
