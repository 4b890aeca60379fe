import { createHash } from 'node:crypto';
import { Answer, invalid } from './answer.ts';
import { describeImage, type ImageFacts } from './image.ts';
import { parseJson, rejectStreaming, requiredString, textTokens, type Work } from './request.ts';

type ImageInput = { kind: 'data'; bytes: Buffer } | { kind: 'remote'; url: string };

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

function chatInputs(messages: ChatMessage[]): { text: string; images: ImageInput[] } {
  const texts: string[] = [];
  const images: ImageInput[] = [];
  for (const message of messages) {
    if (typeof message.content === 'string') texts.push(message.content);
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Record<string, unknown>[]) {
      if (part?.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      const url = (part?.image_url as { url?: unknown } | undefined)?.url;
      if (part?.type !== 'image_url' || typeof url !== 'string') continue;
      const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
      if (data) {
        const payload = data[3] ?? '';
        images.push({
          kind: 'data',
          bytes: data[2] ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload)),
        });
      } else {
        images.push({ kind: 'remote', url });
      }
    }
  }
  return { text: texts.join('\n'), images };
}

function sentence(facts: ImageFacts): string {
  const tones =
    facts.tones.length > 1
      ? `${facts.tones.slice(0, -1).join(', ')} and ${facts.tones.at(-1)}`
      : (facts.tones[0] ?? 'mixed');
  const alpha = facts.opaque ? 'It is fully opaque.' : 'It has transparent areas.';
  return `A ${facts.width}×${facts.height} ${facts.format.toUpperCase()} image dominated by ${tones} tones (most common colour ${facts.dominant}). ${alpha}`;
}

const VISION_FORMATS = new Set(['png', 'jpeg', 'gif', 'webp']);

async function describe(input: ImageInput): Promise<string> {
  if (input.kind === 'remote') {
    return `An image at ${input.url}; the fake provider does not download remote images, so it cannot say more.`;
  }
  let facts: ImageFacts | undefined;
  try {
    facts = await describeImage(input.bytes);
  } catch {
    facts = undefined;
  }
  if (!facts || !VISION_FORMATS.has(facts.format)) {
    throw invalid(
      "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
      null,
      'invalid_image_format',
    );
  }
  return sentence(facts);
}

/**
 * `POST /v1/chat/completions`, the vision call behind image descriptions: each attached
 * image described from its own pixels, or a canned answer when none is attached.
 */
export function chatCompletions(body: Buffer): Work {
  const json = parseJson(body);
  if (!Array.isArray(json.messages) || json.messages.length === 0) {
    throw invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  const model = requiredString(json.model, 'model');
  rejectStreaming(json.stream);
  const { text, images } = chatInputs(json.messages as ChatMessage[]);
  return {
    model,
    prompt: text,
    answer: async () => {
      const descriptions = await Promise.all(images.map(describe));
      const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      const content =
        descriptions.length === 0
          ? `This is the fake OpenAI provider, so no model read this; a canned answer to: "${excerpt}".`
          : descriptions.length === 1
            ? descriptions[0]!
            : descriptions.map((d, i) => `Image ${i + 1}: ${d}`).join('\n');
      const promptTokens = textTokens(text) + images.length * 85;
      const completionTokens = textTokens(content);
      return new Answer(200, {
        id: `chatcmpl-${createHash('sha256').update(body).digest('hex').slice(0, 24)}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
        service_tier: 'default',
        system_fingerprint: 'fp_fake',
      });
    },
  };
}
