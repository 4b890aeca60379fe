import type { EnvField } from './config.ts';
import { generationConfigKeys } from './domain/generation/generation-settings.ts';

/**
 * The environment variables each function reads, by its entry in functions/: the one
 * declaration its cold start parses (`loadConfig(functionConfig[name])`) and the CDK app
 * binds, so synth fails when a function would lack a variable it needs or be handed one
 * it does not read. Side-effect free: the CDK app and the local runtime import it too.
 */
export const functionConfig = {
  'api-auth': ['TABLE_NAME', 'USER_POOL_ID', 'USER_POOL_CLIENT_ID', 'ORIGIN_SECRET_ID'],
  'api-catalogue': [...generationConfigKeys, 'IMAGE_PRICES_USD', 'DESCRIPTIONS_PER_DAY', 'ORIGIN_SECRET_ID'],
  'api-characters': [
    ...generationConfigKeys,
    'TABLE_NAME',
    'LIVE_CONNECTIONS_URL',
    'IMAGE_BUCKET',
    'JOBS_QUEUE_URL',
    'USER_POOL_CLIENT_ID',
    'CURSOR_SECRET_ID',
    'CDN_BASE_URL',
    'DISTRIBUTION_ID',
    'ORIGIN_SECRET_ID',
  ],
  'api-comments': [
    'TABLE_NAME',
    'USER_POOL_ID',
    'USER_POOL_CLIENT_ID',
    'JWKS_URI',
    'CURSOR_SECRET_ID',
    'ORIGIN_SECRET_ID',
  ],
  'api-edits': [
    ...generationConfigKeys,
    'TABLE_NAME',
    'LIVE_CONNECTIONS_URL',
    'IMAGE_BUCKET',
    'JOBS_QUEUE_URL',
    'USER_POOL_CLIENT_ID',
    'ORIGIN_SECRET_ID',
  ],
  // Gallery images are public: their URLs are the CDN's, so the gallery never touches the bucket.
  // It verifies a token itself when one is sent, to say which images the caller likes.
  'api-gallery': [
    'TABLE_NAME',
    'USER_POOL_ID',
    'USER_POOL_CLIENT_ID',
    'JWKS_URI',
    'CDN_BASE_URL',
    'CURSOR_SECRET_ID',
    'ORIGIN_SECRET_ID',
  ],
  'api-generations': [
    ...generationConfigKeys,
    'TABLE_NAME',
    'LIVE_CONNECTIONS_URL',
    'JOBS_QUEUE_URL',
    'USER_POOL_CLIENT_ID',
    'CURSOR_SECRET_ID',
    'ORIGIN_SECRET_ID',
  ],
  'api-images': [
    'TABLE_NAME',
    'LIVE_CONNECTIONS_URL',
    'IMAGE_BUCKET',
    'JOBS_QUEUE_URL',
    'USER_POOL_ID',
    'USER_POOL_CLIENT_ID',
    'JWKS_URI',
    'VISION_MODEL',
    'DESCRIPTIONS_PER_DAY',
    'CDN_BASE_URL',
    'CURSOR_SECRET_ID',
    'DISTRIBUTION_ID',
    'ORIGIN_SECRET_ID',
  ],
  'api-live': ['TABLE_NAME', 'ORIGIN_SECRET_ID'],
  // The WebSocket routes ($connect, $disconnect, $default): CloudFront's origin secret arrives on $connect.
  'live-socket': ['TABLE_NAME', 'ORIGIN_SECRET_ID'],
  'api-me': [
    'TABLE_NAME',
    'USER_POOL_CLIENT_ID',
    'ACCOUNTS_QUEUE_URL',
    'QUOTA_PER_DAY',
    'DESCRIPTIONS_PER_DAY',
    'ORIGIN_SECRET_ID',
  ],
  'api-uploads': [
    'TABLE_NAME',
    'LIVE_CONNECTIONS_URL',
    'IMAGE_BUCKET',
    'JOBS_QUEUE_URL',
    'USER_POOL_CLIENT_ID',
    'VISION_MODEL',
    'DESCRIPTIONS_PER_DAY',
    'CDN_BASE_URL',
    'ORIGIN_SECRET_ID',
  ],
  'worker-accounts': [
    'TABLE_NAME',
    'IMAGE_BUCKET',
    'USER_POOL_ID',
    'DISTRIBUTION_ID',
    'RETRY_BASE_SECONDS',
    'RETRY_MAX_SECONDS',
  ],
  'worker-dead-letters': ['TABLE_NAME', 'LIVE_CONNECTIONS_URL'],
  'worker-jobs': [
    'TABLE_NAME',
    'LIVE_CONNECTIONS_URL',
    'IMAGE_BUCKET',
    'OPENAI_SECRET_ID',
    'DISTRIBUTION_ID',
    'OPENAI_BASE_URL',
    'OPENAI_TIMEOUT_MS',
    'RETRY_BASE_SECONDS',
    'RETRY_MAX_SECONDS',
  ],
  'worker-uploads': [
    'TABLE_NAME',
    'LIVE_CONNECTIONS_URL',
    'IMAGE_BUCKET',
    'JOBS_QUEUE_URL',
    'VISION_MODEL',
    'DESCRIPTIONS_PER_DAY',
    'RETRY_BASE_SECONDS',
    'RETRY_MAX_SECONDS',
  ],
} as const satisfies Record<string, readonly EnvField[]>;

export type FunctionName = keyof typeof functionConfig;
