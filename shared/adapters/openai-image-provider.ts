import OpenAI, { APIConnectionError, APIError } from 'openai';
import type { ImageProvider } from '../domain/generation/ports.ts';
import { ProviderRefusal, ProviderUnavailable } from '../domain/generation/provider-errors.ts';
import { resolveSecret } from './secrets.ts';

export interface OpenAiSettings {
  readonly OPENAI_API_KEY?: string;
  readonly OPENAI_SECRET_ID?: string;
  readonly OPENAI_BASE_URL?: string;
  readonly OPENAI_TIMEOUT_MS: number;
}

/**
 * The one way Easel reaches a model. The key comes from Secrets Manager in AWS (read once
 * per cold start, never put in the environment or a log) and from OPENAI_API_KEY locally.
 * The client does not retry: retries go through the queue, with its backoff and DLQ.
 */
export async function createOpenAiClient(settings: OpenAiSettings): Promise<OpenAI> {
  const apiKey = await resolveSecret('the OpenAI key', settings.OPENAI_API_KEY, settings.OPENAI_SECRET_ID);
  return new OpenAI({
    apiKey,
    baseURL: settings.OPENAI_BASE_URL,
    timeout: settings.OPENAI_TIMEOUT_MS,
    maxRetries: 0,
  });
}

/** Seconds the provider asked us to wait, from `retry-after-ms` or `retry-after` (seconds or a date). */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms / 1000;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * The provider's failures in the terms of the domain: a moderation block or another 400
 * is final; rate limits, 5xx, timeouts and lost connections are worth another try.
 */
export function classifyProviderError(error: unknown): unknown {
  if (error instanceof APIConnectionError) {
    return new ProviderUnavailable(`The provider could not be reached: ${error.message}`);
  }
  if (!(error instanceof APIError)) return error;
  const status = error.status ?? 0;
  // The provider's own words, without the client's "400 " prefix.
  const reason = (error.error as { message?: string } | undefined)?.message ?? error.message;
  if (status === 400 && (error.code === 'moderation_blocked' || error.code === 'content_policy_violation')) {
    return new ProviderRefusal('MODERATION_BLOCKED', reason);
  }
  if (status === 400 || status === 404 || status === 422)
    return new ProviderRefusal('INVALID_REQUEST', reason);
  return new ProviderUnavailable(
    `The provider answered ${status}: ${reason}`,
    retryAfterSeconds(error.headers),
  );
}

export function openAiImageProvider(client: OpenAI): ImageProvider {
  return {
    async generate({ model, prompt, size, quality, n }) {
      try {
        const result = await client.images.generate({
          model,
          prompt,
          n,
          size: size as OpenAI.ImageGenerateParams['size'],
          quality: quality as OpenAI.ImageGenerateParams['quality'],
        });
        return (result.data ?? []).map((image) => Buffer.from(image.b64_json ?? '', 'base64'));
      } catch (error) {
        throw classifyProviderError(error);
      }
    },
  };
}
