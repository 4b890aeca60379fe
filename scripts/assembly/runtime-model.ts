import { functionTag } from '../../shared/resources.ts';
import type { AssemblyStack, CloudAssembly } from './cloud-assembly.ts';
import { type TemplateResolver, UnresolvableValueError } from './intrinsics.ts';

/** The origins the local site is served from: the runtime, and Vite's dev server for the gallery. */
export const siteOrigins = ['http://127.0.0.1:*', 'http://localhost:*'];

/** One Lambda function as the stateless template deploys it. */
export interface FunctionDefinition {
  /** Its entry in functions/ (`api-gallery`), from its `easel:function` tag. */
  readonly name: string;
  readonly logicalId: string;
  /** `index.handler`: the module and the export Lambda calls. */
  readonly handler: string;
  /** Its environment exactly as the template sets it, references resolved to the local resources. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly architecture: string;
  /** `AWS_LAMBDA_LOG_LEVEL`, when the function's logging config sets an application log level. */
  readonly logLevel?: string;
  /** The asset directory of its code, when the assembly was bundled. */
  readonly asset?: string;
}

/** The JWT authorizer of a route, as API Gateway is configured with it. */
export interface JwtAuthorizer {
  readonly issuer: string;
  readonly audience: readonly string[];
}

/** One route of the HTTP API: its key, the function behind it, and its authorizer. */
export interface ApiRoute {
  readonly method: string;
  readonly path: string;
  readonly function: string;
  readonly authorizer?: JwtAuthorizer;
  readonly scopes: readonly string[];
}

/** One SQS event source mapping. */
export interface QueueEventSource {
  readonly function: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly maxConcurrency?: number;
  readonly reportBatchItemFailures: boolean;
}

/** A WebSocket API, as API Gateway runs it behind CloudFront's behaviour for `path`. */
export interface WebSocketApiDefinition {
  readonly logicalId: string;
  /** Its id locally (the stand-in's `Ref`), as its management API's URLs and ARNs name it. */
  readonly apiId: string;
  readonly stage: string;
  /** The path CloudFront serves it on (`/api/live`). */
  readonly path: string;
  /** The function behind each route key (`$connect`, `$disconnect`, `$default`). */
  readonly routes: Readonly<Record<string, string>>;
  /** The custom headers CloudFront adds on its way to the API (the origin secret), resolved. */
  readonly originHeaders: Readonly<Record<string, string>>;
}

export interface RuntimeModel {
  readonly functions: ReadonlyMap<string, FunctionDefinition>;
  readonly routes: readonly ApiRoute[];
  readonly webSocketApis: readonly WebSocketApiDefinition[];
  readonly eventSources: readonly QueueEventSource[];
  /**
   * The custom headers CloudFront adds to each `/api/*` request, resolved; a value may be a
   * dynamic reference (`{{resolve:secretsmanager:…}}`) that CloudFormation resolves at deploy.
   */
  readonly apiOriginHeaders: Readonly<Record<string, string>>;
  /** The path patterns CloudFront sends to the API (`/api/*`, `/s/*`), as its behaviours say. */
  readonly apiPathPatterns: readonly string[];
}

/** The function name a Lambda resource carries in its `easel:function` tag; CDK's own handlers have none. */
export function functionNameOf(properties: Record<string, unknown>): string | undefined {
  const tags = (properties.Tags ?? []) as { Key: string; Value: string }[];
  return tags.find((tag) => tag.Key === functionTag)?.Value;
}

/**
 * What the local runtime serves, read from the stateless template: each function with
 * its environment resolved, each HTTP route with its authorizer, each event source
 * mapping. CloudFront's `https://<domain>` becomes the runtime's own URL.
 */
export function readRuntimeModel(
  assembly: CloudAssembly,
  resolver: TemplateResolver,
  siteUrl: string,
): RuntimeModel {
  const stack = assembly.stateless;
  const resources = Object.entries(stack.template.Resources);
  const host = new URL(siteUrl).host;
  const local = (text: string) => text.replaceAll(`https://${host}`, siteUrl);

  const functions = new Map<string, FunctionDefinition>();
  const nameByLogicalId = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const properties = resource.Properties ?? {};
    const name = functionNameOf(properties);
    if (!name) continue;
    const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const environment = Object.fromEntries(
      Object.entries(variables).map(([variable, value]) => [
        variable,
        local(resolver.string(stack, value, `${stack.name} ${name}: environment variable ${variable}`)),
      ]),
    );
    const code = properties.Code as { S3Key?: string } | undefined;
    const logging = properties.LoggingConfig as { ApplicationLogLevel?: string } | undefined;
    functions.set(name, {
      name,
      logicalId,
      handler: String(properties.Handler ?? 'index.handler'),
      environment,
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memorySize: Number(properties.MemorySize ?? 128),
      architecture: ((properties.Architectures as string[] | undefined) ?? ['x86_64'])[0]!,
      logLevel: logging?.ApplicationLogLevel,
      asset: code?.S3Key ? stack.assets.get(code.S3Key) : undefined,
    });
    nameByLogicalId.set(logicalId, name);
  }

  const functionOf = (value: unknown, where: string) => {
    // A WebSocket integration names the function inside its `…/functions/<arn>/invocations` URI.
    const logicalId = logicalIdOf(value) ?? [...referencedIds(value)].find((id) => nameByLogicalId.has(id));
    const name = logicalId && nameByLogicalId.get(logicalId);
    if (!name)
      throw new UnresolvableValueError(where, `${JSON.stringify(value)} is not one of Easel's functions`);
    return name;
  };

  const webSocketIds = new Set(
    resources
      .filter(([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Api')
      .filter(([, resource]) => resource.Properties?.ProtocolType === 'WEBSOCKET')
      .map(([logicalId]) => logicalId),
  );
  const integrationOf = (properties: Record<string, unknown>, where: string, routeKey: string) => {
    const target = (properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1];
    const integration = stack.template.Resources[logicalIdOf(target) ?? ''];
    if (integration?.Type !== 'AWS::ApiGatewayV2::Integration') {
      throw new UnresolvableValueError(where, `route ${routeKey} has no Lambda integration`);
    }
    return functionOf(integration.Properties?.IntegrationUri, `${where} integration`);
  };

  const socketRoutes = new Map<string, Record<string, string>>();
  const routes: ApiRoute[] = [];
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const properties = resource.Properties ?? {};
    const apiLogicalId = logicalIdOf(properties.ApiId);
    if (apiLogicalId && webSocketIds.has(apiLogicalId)) {
      const where = `${stack.name} ${logicalId}`;
      if (properties.AuthorizationType && properties.AuthorizationType !== 'NONE') {
        throw new UnresolvableValueError(where, `authorization type ${String(properties.AuthorizationType)}`);
      }
      const routeKey = String(properties.RouteKey);
      const byKey = socketRoutes.get(apiLogicalId) ?? {};
      byKey[routeKey] = integrationOf(properties, where, routeKey);
      socketRoutes.set(apiLogicalId, byKey);
      continue;
    }
    const where = `${stack.name} ${logicalId}`;
    const routeKey = String(properties.RouteKey);
    const [method, path] = routeKey.split(' ') as [string, string];
    const target = (properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1];
    const integration = stack.template.Resources[logicalIdOf(target) ?? ''];
    if (integration?.Type !== 'AWS::ApiGatewayV2::Integration') {
      throw new UnresolvableValueError(where, `route ${routeKey} has no Lambda integration`);
    }
    const authorizer =
      properties.AuthorizationType === 'JWT'
        ? readAuthorizer(stack, resolver, logicalIdOf(properties.AuthorizerId), where)
        : undefined;
    if (properties.AuthorizationType && !['NONE', 'JWT'].includes(String(properties.AuthorizationType))) {
      throw new UnresolvableValueError(where, `authorization type ${String(properties.AuthorizationType)}`);
    }
    routes.push({
      method,
      path,
      function: functionOf(integration.Properties?.IntegrationUri, `${where} integration`),
      authorizer,
      scopes: (properties.AuthorizationScopes as string[] | undefined) ?? [],
    });
  }

  const eventSources: QueueEventSource[] = [];
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const properties = resource.Properties ?? {};
    const where = `${stack.name} ${logicalId}`;
    const scaling = properties.ScalingConfig as { MaximumConcurrency?: number } | undefined;
    eventSources.push({
      function: functionOf(properties.FunctionName, where),
      queueArn: resolver.string(stack, properties.EventSourceArn, `${where} EventSourceArn`),
      batchSize: Number(properties.BatchSize ?? 10),
      maxConcurrency: scaling?.MaximumConcurrency,
      reportBatchItemFailures: ((properties.FunctionResponseTypes as string[] | undefined) ?? []).includes(
        'ReportBatchItemFailures',
      ),
    });
  }
  const webSocketApis = [...webSocketIds].map((logicalId) =>
    readWebSocketApi(stack, resolver, logicalId, socketRoutes.get(logicalId) ?? {}),
  );
  return {
    functions,
    routes,
    webSocketApis,
    eventSources,
    apiOriginHeaders: apiOriginHeaders(stack, resolver),
    apiPathPatterns: apiPathPatterns(stack),
  };
}

/** The behaviours whose origin is the one `/api/*` goes to: the paths the API serves behind CloudFront. */
function apiPathPatterns(stack: AssemblyStack): string[] {
  type Config = { CacheBehaviors?: { PathPattern: string; TargetOriginId: string }[] };
  const patterns: string[] = [];
  for (const resource of Object.values(stack.template.Resources)) {
    if (resource.Type !== 'AWS::CloudFront::Distribution') continue;
    const behaviours = ((resource.Properties?.DistributionConfig ?? {}) as Config).CacheBehaviors ?? [];
    const api = behaviours.find((behaviour) => behaviour.PathPattern === '/api/*');
    for (const behaviour of behaviours) {
      if (api && behaviour.TargetOriginId === api.TargetOriginId) patterns.push(behaviour.PathPattern);
    }
  }
  return patterns;
}

type DistributionConfig = {
  Origins?: {
    Id: string;
    DomainName?: unknown;
    OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  }[];
  CacheBehaviors?: { PathPattern: string; TargetOriginId: string }[];
};

/** Its stage, and the CloudFront behaviour whose origin is its domain, from the template. */
function readWebSocketApi(
  stack: AssemblyStack,
  resolver: TemplateResolver,
  logicalId: string,
  routes: Record<string, string>,
): WebSocketApiDefinition {
  const where = `${stack.name} ${logicalId}`;
  const resources = Object.entries(stack.template.Resources);
  const stage = resources.find(
    ([, resource]) =>
      resource.Type === 'AWS::ApiGatewayV2::Stage' && logicalIdOf(resource.Properties?.ApiId) === logicalId,
  );
  if (!stage) throw new UnresolvableValueError(where, 'the WebSocket API has no stage');
  for (const [distributionId, resource] of resources) {
    if (resource.Type !== 'AWS::CloudFront::Distribution') continue;
    const config = (resource.Properties?.DistributionConfig ?? {}) as DistributionConfig;
    const origin = config.Origins?.find((candidate) => referencedIds(candidate.DomainName).has(logicalId));
    const behaviour = config.CacheBehaviors?.find((candidate) => candidate.TargetOriginId === origin?.Id);
    if (!origin || !behaviour) continue;
    return {
      logicalId,
      apiId: resolver.string(stack, { Ref: logicalId }, `${where} Ref`),
      stage: resolver.string(stack, stage[1].Properties?.StageName, `${where} stage name`),
      path: behaviour.PathPattern,
      routes,
      originHeaders: Object.fromEntries(
        (origin.OriginCustomHeaders ?? []).map(({ HeaderName, HeaderValue }) => [
          HeaderName.toLowerCase(),
          resolver.string(
            stack,
            HeaderValue,
            `${stack.name} ${distributionId}: the live origin's header ${HeaderName}`,
          ),
        ]),
      ),
    };
  }
  throw new UnresolvableValueError(where, 'no CloudFront behaviour serves the WebSocket API');
}

/** Every logical id a template value refers to by `Ref` or `Fn::GetAtt`. */
function referencedIds(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedIds(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner)) found.add(String(inner[0]));
      else referencedIds(inner, found);
    }
  }
  return found;
}

function apiOriginHeaders(stack: AssemblyStack, resolver: TemplateResolver): Record<string, string> {
  type Origin = { Id: string; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] };
  type Config = { Origins?: Origin[]; CacheBehaviors?: { PathPattern: string; TargetOriginId: string }[] };
  const headers: Record<string, string> = {};
  for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
    if (resource.Type !== 'AWS::CloudFront::Distribution') continue;
    const config = (resource.Properties?.DistributionConfig ?? {}) as Config;
    const api = config.CacheBehaviors?.find((behaviour) => behaviour.PathPattern === '/api/*');
    const origin = config.Origins?.find((candidate) => candidate.Id === api?.TargetOriginId);
    for (const { HeaderName, HeaderValue } of origin?.OriginCustomHeaders ?? []) {
      headers[HeaderName.toLowerCase()] = resolver.string(
        stack,
        HeaderValue,
        `${stack.name} ${logicalId}: the API origin's header ${HeaderName}`,
      );
    }
  }
  return headers;
}

function logicalIdOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return reference.Ref ?? reference['Fn::GetAtt']?.[0];
}

function readAuthorizer(
  stack: AssemblyStack,
  resolver: TemplateResolver,
  logicalId: string | undefined,
  where: string,
): JwtAuthorizer {
  const resource = logicalId ? stack.template.Resources[logicalId] : undefined;
  const properties = resource?.Properties ?? {};
  if (resource?.Type !== 'AWS::ApiGatewayV2::Authorizer' || properties.AuthorizerType !== 'JWT') {
    throw new UnresolvableValueError(where, 'the route names no JWT authorizer');
  }
  const identitySource = (properties.IdentitySource as string[] | undefined) ?? [];
  if (identitySource.join() !== '$request.header.Authorization') {
    throw new UnresolvableValueError(where, `identity source ${identitySource.join(', ')}`);
  }
  const jwt = properties.JwtConfiguration as { Issuer: unknown; Audience?: unknown[] };
  return {
    issuer: resolver.string(stack, jwt.Issuer, `${where} authorizer issuer`),
    audience: (jwt.Audience ?? []).map((value) =>
      resolver.string(stack, value, `${where} authorizer audience`),
    ),
  };
}
