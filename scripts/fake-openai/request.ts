import type { IncomingMessage } from 'node:http';
import { type Answer, apiError, invalid } from './answer.ts';
import type { OutputFormat } from './image.ts';

/** The real API limits uploads to 50 MB per image; leave room for a mask and form overhead. */
const MAX_BODY_BYTES = 120 * 1024 * 1024;
/** Bounds on a custom size; GPT image models accept sizes up to 3840 px a side. */
export const MIN_SIDE = 16;
export const MAX_SIDE = 4096;

/** A request read and checked: what to record of it, and how to answer it once any fault injection has had its say. */
export interface Work {
  model: string;
  prompt: string;
  size?: string;
  n?: number;
  answer: () => Promise<Answer>;
}

export function isAuthorised(req: IncomingMessage): boolean {
  return /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BODY_BYTES) {
      throw apiError(
        413,
        `Request body too large: the limit is ${MAX_BODY_BYTES} bytes.`,
        'invalid_request_error',
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Answered below, like any body that is not a JSON object.
  }
  throw invalid(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  );
}

export function requiredString(value: unknown, param: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  return value;
}

export function rejectStreaming(value: unknown): void {
  if (value === true || value === 'true') {
    throw invalid('The fake OpenAI provider does not stream; send the request without stream.', 'stream');
  }
}

export function parseSize(value: unknown, fallback: { width: number; height: number }) {
  if (value === undefined || value === null || value === 'auto') return fallback;
  const match = typeof value === 'string' ? /^(\d+)x(\d+)$/.exec(value) : null;
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || [width, height].some((side) => side < MIN_SIDE || side > MAX_SIDE)) {
    throw invalid(
      `Invalid value: '${String(value)}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto' (this fake also accepts any WIDTHxHEIGHT from ${MIN_SIDE} to ${MAX_SIDE}).`,
      'size',
    );
  }
  return { width, height };
}

export function parseCount(value: unknown): number {
  const n = value === undefined || value === null ? 1 : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    throw invalid(`Invalid 'n': expected an integer from 1 to 10, got ${JSON.stringify(value)}.`, 'n');
  }
  return n;
}

export function parseOutputFormat(value: unknown): OutputFormat {
  if (value === undefined || value === null) return 'png';
  if (value === 'png' || value === 'jpeg' || value === 'webp') return value;
  throw invalid(
    `Invalid value: '${String(value)}'. Supported values are: 'png', 'jpeg', and 'webp'.`,
    'output_format',
  );
}

/** Token counts in the shape of the real usage objects; roughly four characters a token. */
export const textTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
