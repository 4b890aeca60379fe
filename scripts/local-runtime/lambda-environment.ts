import type { FunctionDefinition } from '../assembly/runtime-model.ts';

/** Where the outside world is, locally: with tracing off, the only variables the local stack adds to a function's. */
export interface LocalEndpoints {
  readonly region: string;
  /** `AWS_ENDPOINT_URL` and any `AWS_ENDPOINT_URL_<SERVICE>`. */
  readonly aws: Readonly<Record<string, string>>;
  /** Each function signs with an access key id of its own (`functionAccessKeyId`) and this secret. */
  readonly credentials: { readonly secretAccessKey: string };
  /** The user pool's signing keys, which in AWS are found from the token's issuer. */
  readonly jwksUri: string;
  /** The model provider (the fake one, unless a real key is set). */
  readonly openAiBaseUrl?: string;
}

/**
 * The access key id a function signs its AWS calls with locally: the emulator accepts any,
 * and a key per function tells its calls apart at the emulator's door (see scripts/iam/).
 */
export function functionAccessKeyId(name: string): string {
  return `lambda-${name}`;
}

/**
 * A function's whole environment locally: the template's variables exactly, the ones
 * Lambda itself sets, and the endpoints of the emulators. `settings` are local values for
 * variables the function reads but the template leaves to their defaults (a small daily
 * quota in a test, quick retries in development); they never replace a template value.
 */
export function lambdaEnvironment(
  definition: FunctionDefinition,
  endpoints: LocalEndpoints,
  options: {
    readonly taskRoot: string;
    readonly settings?: Readonly<Record<string, string>>;
    readonly reads?: readonly string[];
  },
): Record<string, string> {
  const template = definition.environment;
  const settings = Object.fromEntries(
    Object.entries(options.settings ?? {}).filter(
      ([name]) => !(name in template) && (options.reads?.includes(name) ?? false),
    ),
  );
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...endpoints.aws,
    AWS_ACCESS_KEY_ID: functionAccessKeyId(definition.name),
    AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
    ...('USER_POOL_ID' in template ? { JWKS_URI: endpoints.jwksUri } : {}),
    ...('OPENAI_SECRET_ID' in template && endpoints.openAiBaseUrl
      ? { OPENAI_BASE_URL: endpoints.openAiBaseUrl }
      : {}),
    // No X-Ray daemon here: Powertools Tracer would log a missing trace at every call.
    POWERTOOLS_TRACE_ENABLED: 'false',
    ...settings,
    ...template,
    // Lambda's reserved variables, which a template cannot set.
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: definition.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
    LAMBDA_TASK_ROOT: options.taskRoot,
    _HANDLER: definition.handler,
    ...(definition.logLevel
      ? { AWS_LAMBDA_LOG_LEVEL: definition.logLevel, AWS_LAMBDA_LOG_FORMAT: 'JSON' }
      : {}),
  };
}
