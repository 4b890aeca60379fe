import OpenAI, { APIConnectionError, APIError, toFile } from 'openai';
import { ProviderRefusal, ProviderUnavailable } from '../domain/generation/provider-errors.ts';
import type { ImageDescriber, ImageProvider } from '../domain/ports.ts';
import { traced } from '../tracer.ts';
import { readSecret } from './secrets.ts';

export interface OpenAiSettings {
  readonly OPENAI_SECRET_ID: string;
  readonly OPENAI_BASE_URL?: string;
  readonly OPENAI_TIMEOUT_MS: number;
}

/**
 * The one way Easel reaches a model. The key comes from Secrets Manager, read once per
 * cold start and never put in the environment or a log. The client does not retry:
 * retries go through the queue, with its backoff and DLQ.
 */
export async function createOpenAiClient(settings: OpenAiSettings): Promise<OpenAI> {
  const apiKey = await readSecret('the OpenAI key', settings.OPENAI_SECRET_ID);
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

/** The images of an answer, decoded. */
function imagesOf(result: OpenAI.ImagesResponse): Buffer[] {
  return (result.data ?? []).map((image) => Buffer.from(image.b64_json ?? '', 'base64'));
}

export function openAiImageProvider(client: OpenAI): ImageProvider {
  return {
    async generate({ model, prompt, size, quality, n }) {
      try {
        return imagesOf(
          await traced('provider', { operation: 'generate', model }, () =>
            client.images.generate({
              model,
              prompt,
              n,
              size: size as OpenAI.ImageGenerateParams['size'],
              quality: quality as OpenAI.ImageGenerateParams['quality'],
            }),
          ),
        );
      } catch (error) {
        throw classifyProviderError(error);
      }
    },
    async edit({ model, image, mask, prompt, size, n }) {
      try {
        const request: OpenAI.ImageEditParams = {
          model,
          image: await toFile(image, 'image.png', { type: 'image/png' }),
          ...(mask ? { mask: await toFile(mask, 'mask.png', { type: 'image/png' }) } : {}),
          prompt,
          n,
          size: size as OpenAI.ImageEditParams['size'],
        };
        return imagesOf(
          await traced('provider', { operation: 'edit', model }, () => client.images.edit(request)),
        );
      } catch (error) {
        throw classifyProviderError(error);
      }
    },
  };
}

/**
 * Descriptions through chat completions, the image inline as a data URL: the model never
 * needs to reach the (private) bucket. A model that declines to describe is final, as a
 * moderation block is.
 */
export function openAiImageDescriber(client: OpenAI): ImageDescriber {
  return {
    async describe({ model, prompt, image, contentType }) {
      let message: OpenAI.ChatCompletionMessage | undefined;
      try {
        const completion = await traced('provider', { operation: 'describe', model }, () =>
          client.chat.completions.create({
            model,
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'text', text: prompt },
                  {
                    type: 'image_url',
                    image_url: { url: `data:${contentType};base64,${Buffer.from(image).toString('base64')}` },
                  },
                ],
              },
            ],
          }),
        );
        message = completion.choices[0]?.message;
      } catch (error) {
        throw classifyProviderError(error);
      }
      if (message?.refusal) throw new ProviderRefusal('MODERATION_BLOCKED', message.refusal);
      const text = message?.content?.trim();
      if (!text) throw new ProviderRefusal('INVALID_REQUEST', 'The model answered without a description.');
      return text;
    },
  };
}
