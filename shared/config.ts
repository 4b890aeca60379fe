import * as z from 'zod/mini';
// zod's English messages, which validation errors and plain-issues.ts read.
import './schemas/meta.ts';

/**
 * Environment variables, one zod field each. A function declares the ones it reads in
 * shared/function-config.ts and parses them with `loadConfig` once at cold start; a
 * missing or bad variable fails the cold start with its name, never a request half-way
 * through.
 */
export const envFields = {
  STAGE: z._default(z.string().check(z.minLength(1)), 'local'),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  TABLE_NAME: z.string().check(z.minLength(1)),
  IMAGE_BUCKET: z.string().check(z.minLength(1)),
  JOBS_QUEUE_URL: z.url(),
  UPLOADS_QUEUE_URL: z.url(),
  /** Accounts being deleted, one message each. */
  ACCOUNTS_QUEUE_URL: z.url(),
  USER_POOL_ID: z
    .string()
    .check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'a Cognito user pool id such as us-east-1_AbC123')),
  USER_POOL_CLIENT_ID: z.string().check(z.minLength(1)),
  /** Where the JWKS of the user pool is fetched from; unset in AWS (the issuer's own). */
  JWKS_URI: z.optional(z.url()),
  /** Public base URL of the CDN that serves public images (`/img/*`). */
  CDN_BASE_URL: z.url(),
  /** The CloudFront distribution serving `/img/*`, whose cache forgets unshared and deleted images. */
  DISTRIBUTION_ID: z.string().check(z.minLength(1)),
  /**
   * The management API of the live-updates WebSocket stage
   * (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`), where job changes are posted.
   */
  LIVE_CONNECTIONS_URL: z.url(),
  OPENAI_BASE_URL: z.optional(z.url()),
  /** Name or ARN of the Secrets Manager secret holding the OpenAI key. */
  OPENAI_SECRET_ID: z.string().check(z.minLength(1)),
  OPENAI_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 120_000),
  IMAGE_MODEL: z._default(z.string().check(z.minLength(1)), 'gpt-image-2'),
  VISION_MODEL: z._default(z.string().check(z.minLength(1)), 'gpt-5-mini'),
  /** Name or ARN of the Secrets Manager secret that signs pagination cursors. */
  CURSOR_SECRET_ID: z.string().check(z.minLength(1)),
  /** Name or ARN of the Secrets Manager secret CloudFront sends the API with each request. */
  ORIGIN_SECRET_ID: z.string().check(z.minLength(1)),
  /** Comma-separated; the first is the default. */
  IMAGE_SIZES: z.pipe(z._default(z.string(), '1024x1024,1536x1024,1024x1536'), z.transform(list)),
  /** Comma-separated; the first is the default. */
  IMAGE_QUALITIES: z.pipe(z._default(z.string(), 'medium,low,high'), z.transform(list)),
  /** US dollars per image by quality, for the price shown before generating. */
  IMAGE_PRICES_USD: z.pipe(
    z._default(z.string(), '{"low":0.011,"medium":0.042,"high":0.167}'),
    z.transform((text, context) => {
      try {
        return z.record(z.string(), z.number().check(z.nonnegative())).parse(JSON.parse(text));
      } catch {
        context.issues.push({
          code: 'custom',
          message: 'must be a JSON object of quality to price',
          input: text,
        });
        return z.NEVER;
      }
    }),
  ),
  MAX_IMAGES_PER_REQUEST: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)), 4),
  /** The first retry of failed queue work waits this long; each later one twice as long. */
  RETRY_BASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 10),
  RETRY_MAX_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive(), z.maximum(43_200)), 600),
  QUOTA_PER_DAY: z._default(z.coerce.number().check(z.int(), z.positive()), 50),
  /** Descriptions by the vision model per user per day; failed ones are given back. */
  DESCRIPTIONS_PER_DAY: z._default(z.coerce.number().check(z.int(), z.positive()), 100),
  MAX_BODY_BYTES: z._default(z.coerce.number().check(z.int(), z.positive()), 6 * 1024 * 1024),
} as const;

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export type EnvField = keyof typeof envFields;
type Picked<K extends EnvField> = z.infer<z.ZodMiniObject<Pick<typeof envFields, K>>>;

/**
 * The keys a function cannot start without: those whose field accepts no `undefined`
 * (neither optional nor defaulted), so the deployment must set them.
 */
export function requiredFields<K extends EnvField>(keys: readonly K[]): K[] {
  return keys.filter((key) => !envFields[key].safeParse(undefined).success);
}

export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    detail: string,
  ) {
    super(`invalid configuration: ${detail}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig<K extends EnvField>(
  keys: readonly K[],
  env: Record<string, string | undefined> = process.env,
): Picked<K> {
  const shape = Object.fromEntries(keys.map((key) => [key, envFields[key]])) as Pick<typeof envFields, K>;
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return { name, text: env[name] === undefined ? `${name} is not set` : `${name}: ${issue.message}` };
    });
    throw new ConfigError(
      issues.map((issue) => issue.name),
      issues.map((issue) => issue.text).join('; '),
    );
  }
  return result.data as Picked<K>;
}

const cache = new Map<string, unknown>();

/** `parseConfig` against `process.env`, once per container for the same keys. */
export function loadConfig<K extends EnvField>(keys: readonly K[]): Picked<K> {
  const cacheKey = [...keys].sort().join(',');
  if (!cache.has(cacheKey)) cache.set(cacheKey, parseConfig(keys));
  return cache.get(cacheKey) as Picked<K>;
}
