import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileTypeFromBuffer } from 'file-type';
import { envFields } from '../../shared/config.ts';
import { describeImage, drawImage, type ImageFacts, type OutputFormat } from './image.ts';

export interface FakeOpenAIOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Without it, one line per API call goes to stdout. */
  quiet?: boolean;
  /** Listed by `GET /v1/models`; requests may name any model. Defaults to the configured defaults. */
  models?: readonly string[];
}

export interface FakeCall {
  method: string;
  /** Path of the request, e.g. `/v1/images/generations`. */
  endpoint: string;
  model?: string;
  prompt?: string;
  size?: string;
  n?: number;
  /** ISO time the request arrived. */
  time: string;
  /** Status answered; null while in flight, 499 when the client went away first. */
  status: number | null;
}

export interface FakeOpenAI {
  /** Base URL for the `openai` client, ending in `/v1`. */
  url: string;
  port: number;
  close(): Promise<void>;
  calls(): FakeCall[];
  reset(): void;
}

/** What a request gets back; thrown as well, to answer early with an error. */
class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function apiError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
  headers: Record<string, string> = {},
): Answer {
  return new Answer(status, { error: { message, type, param, code } }, headers);
}

const invalid = (message: string, param: string | null = null, code: string | null = null) =>
  apiError(400, message, 'invalid_request_error', param, code);

/** The real API limits uploads to 50 MB per image; leave room for a mask and form overhead. */
const MAX_BODY_BYTES = 120 * 1024 * 1024;
const MAX_SLOW_MS = 10 * 60 * 1000;
/** Bounds on a custom size; GPT image models accept sizes up to 3840 px a side. */
const MIN_SIDE = 16;
const MAX_SIDE = 4096;

interface Triggers {
  moderation: boolean;
  rateLimit: boolean;
  error: boolean;
  failAlways: boolean;
  slowMs: number;
}

function findTriggers(text: string): Triggers {
  const slow = /\[fake:slow=(\d+)\]/.exec(text);
  return {
    moderation: text.includes('[fake:moderation]'),
    rateLimit: text.includes('[fake:rate-limit]'),
    error: text.includes('[fake:error]'),
    failAlways: text.includes('[fake:fail-always]'),
    slowMs: slow ? Math.min(Number(slow[1]), MAX_SLOW_MS) : 0,
  };
}

/**
 * The failure this attempt gets, if any: moderation and fail-always every time; rate-limit
 * the first two attempts of a prompt, then error the attempt after those.
 */
function triggeredFailure(
  triggers: Triggers,
  attempt: number,
  model: string,
  requestId: string,
): Answer | null {
  if (triggers.moderation) {
    return apiError(
      400,
      `Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID ${requestId}. safety_violations=[violence].`,
      'image_generation_user_error',
      null,
      'moderation_blocked',
    );
  }
  const serverError = () =>
    apiError(
      500,
      `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID ${requestId} in your message.)`,
      'server_error',
    );
  if (triggers.failAlways) return serverError();
  const rateLimited = triggers.rateLimit ? 2 : 0;
  if (attempt < rateLimited) {
    return apiError(
      429,
      `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 5, Used 5, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'requests',
      null,
      'rate_limit_exceeded',
      {
        'retry-after': '1',
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1s',
      },
    );
  }
  if (triggers.error && attempt === rateLimited) return serverError();
  return null;
}

function parseSize(value: unknown, fallback: { width: number; height: number }) {
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

function parseCount(value: unknown): number {
  const n = value === undefined || value === null ? 1 : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    throw invalid(`Invalid 'n': expected an integer from 1 to 10, got ${JSON.stringify(value)}.`, 'n');
  }
  return n;
}

function parseOutputFormat(value: unknown): OutputFormat {
  if (value === undefined || value === null) return 'png';
  if (value === 'png' || value === 'jpeg' || value === 'webp') return value;
  throw invalid(
    `Invalid value: '${String(value)}'. Supported values are: 'png', 'jpeg', and 'webp'.`,
    'output_format',
  );
}

function requiredString(value: unknown, param: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  return value;
}

function rejectStreaming(value: unknown): void {
  if (value === true || value === 'true') {
    throw invalid('The fake OpenAI provider does not stream; send the request without stream.', 'stream');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
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

function parseJson(body: Buffer): Record<string, unknown> {
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

/** Token counts in the shape of the real usage objects; roughly four characters a token. */
const textTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function imageUsage(
  prompt: string,
  quality: unknown,
  width: number,
  height: number,
  n: number,
  inputImages = 0,
) {
  const perMegapixel: Record<string, number> = { low: 272, medium: 1056, high: 4160 };
  const perImage = Math.round(
    ((perMegapixel[String(quality)] ?? perMegapixel.medium!) * width * height) / (1024 * 1024),
  );
  const text = textTokens(prompt);
  const image = inputImages * 194;
  return {
    input_tokens: text + image,
    input_tokens_details: { text_tokens: text, image_tokens: image },
    output_tokens: perImage * n,
    total_tokens: text + image + perImage * n,
  };
}

interface Work {
  model: string;
  prompt: string;
  size?: string;
  n?: number;
  answer: () => Promise<Answer>;
}

async function imagesAnswer(
  seed: string,
  prompt: string,
  params: {
    width: number;
    height: number;
    n: number;
    quality: unknown;
    background: unknown;
    format: OutputFormat;
  },
  inputImages = 0,
): Promise<Answer> {
  const { width, height, n, format } = params;
  const transparent = params.background === 'transparent' && format !== 'jpeg';
  const images = await Promise.all(
    Array.from({ length: n }, (_, variant) =>
      drawImage({ seed, variant, width, height, transparent, format }),
    ),
  );
  return new Answer(200, {
    created: Math.floor(Date.now() / 1000),
    background: transparent ? 'transparent' : 'opaque',
    data: images.map((image) => ({ b64_json: image.toString('base64') })),
    output_format: format,
    quality: typeof params.quality === 'string' && params.quality !== 'auto' ? params.quality : 'medium',
    size: `${width}x${height}`,
    usage: imageUsage(prompt, params.quality, width, height, n, inputImages),
  });
}

function generations(body: Buffer, imageModel: string): Work {
  const json = parseJson(body);
  const prompt = requiredString(json.prompt, 'prompt');
  const model = typeof json.model === 'string' ? json.model : imageModel;
  rejectStreaming(json.stream);
  const { width, height } = parseSize(json.size, { width: 1024, height: 1024 });
  const n = parseCount(json.n);
  const format = parseOutputFormat(json.output_format);
  return {
    model,
    prompt,
    size: `${width}x${height}`,
    n,
    answer: () =>
      imagesAnswer(prompt, prompt, {
        width,
        height,
        n,
        quality: json.quality,
        background: json.background,
        format,
      }),
  };
}

const UPLOAD_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** A file part of a parsed form (undici's File, which @types/node keeps apart from buffer's). */
type Upload = Exclude<ReturnType<FormData['get']>, string | null>;

/** Checks the bytes, not the declared type, as the real API does. */
async function checkedUpload(file: Upload, param: string, allowed: ReadonlySet<string>): Promise<Buffer> {
  const bytes = Buffer.from(await file.arrayBuffer());
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !allowed.has(detected.mime)) {
    const supported = [...allowed].map((type) => `'${type}'`).join(', ');
    throw invalid(
      `Invalid file '${param}': unsupported mimetype ('${detected?.mime ?? (file.type || 'application/octet-stream')}'). Supported file formats are ${supported}.`,
      param,
      'unsupported_file_mimetype',
    );
  }
  return bytes;
}

async function edits(req: IncomingMessage, body: Buffer, imageModel: string): Promise<Work> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    throw invalid(`Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`);
  }
  let form: FormData;
  try {
    form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch {
    throw invalid('Could not parse multipart form data.');
  }
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const prompt = requiredString(field('prompt'), 'prompt');
  const model = field('model') ?? imageModel;
  rejectStreaming(field('stream'));
  const files = [...form.getAll('image'), ...form.getAll('image[]')].filter(
    (v): v is Upload => typeof v !== 'string',
  );
  if (files.length === 0)
    throw invalid("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
  const images = await Promise.all(files.map((file) => checkedUpload(file, 'image', UPLOAD_TYPES)));
  const maskFile = form.get('mask');
  const mask =
    maskFile && typeof maskFile !== 'string'
      ? await checkedUpload(maskFile, 'mask', new Set(['image/png']))
      : undefined;
  const source = await sourceSize(images[0]!);
  const { width, height } = parseSize(field('size'), source);
  const n = parseCount(field('n'));
  const format = parseOutputFormat(field('output_format'));
  const digest = createHash('sha256');
  for (const bytes of [...images, ...(mask ? [mask] : [])]) digest.update(bytes);
  return {
    model,
    prompt,
    size: `${width}x${height}`,
    n,
    answer: () =>
      imagesAnswer(
        `${prompt}\n${digest.digest('hex')}`,
        prompt,
        { width, height, n, quality: field('quality'), background: field('background'), format },
        images.length,
      ),
  };
}

async function sourceSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  try {
    const facts = await describeImage(bytes);
    if (
      facts.width >= MIN_SIDE &&
      facts.height >= MIN_SIDE &&
      facts.width <= MAX_SIDE &&
      facts.height <= MAX_SIDE
    ) {
      return { width: facts.width, height: facts.height };
    }
  } catch {
    // Valid magic bytes but undecodable: draw at the default size instead.
  }
  return { width: 1024, height: 1024 };
}

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

function chatCompletions(body: Buffer): Work {
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

function modelObject(id: string) {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'system' };
}

function isAuthorised(req: IncomingMessage): boolean {
  return /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
}

/** Resolves after `ms`, or early and with false when the client goes away. */
function wait(ms: number, res: ServerResponse): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const host = options.host ?? '127.0.0.1';
  const models = options.models ?? [
    envFields.IMAGE_MODEL.parse(undefined),
    envFields.VISION_MODEL.parse(undefined),
  ];
  /** Answers for requests that name no model, as the real API falls back to its own default. */
  const imageModel = models[0] ?? envFields.IMAGE_MODEL.parse(undefined);
  let calls: FakeCall[] = [];
  let attempts = new Map<string, number>();
  const reset = () => {
    calls = [];
    attempts = new Map();
  };

  function send(res: ServerResponse, answer: Answer, requestId: string): void {
    if (res.destroyed || res.headersSent) return;
    const payload = answer.status === 204 ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'x-request-id': requestId,
      'openai-version': '2020-10-01',
      ...answer.headers,
    });
    res.end(payload);
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    call: FakeCall,
    requestId: string,
  ): Promise<Answer> {
    const method = req.method ?? 'GET';
    const path = call.endpoint;
    if (path === '/__fake/calls' && method === 'GET') return new Answer(200, calls);
    if (path === '/__fake/reset' && method === 'POST') {
      reset();
      return new Answer(204, null);
    }
    if (path.startsWith('/v1/')) calls.push(call);
    if (!isAuthorised(req)) {
      return apiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
        'invalid_api_key',
      );
    }
    if (path === '/v1/models' && method === 'GET') {
      return new Answer(200, { object: 'list', data: models.map(modelObject) });
    }
    const modelId = /^\/v1\/models\/([^/]+)$/.exec(path)?.[1];
    if (modelId && method === 'GET') return new Answer(200, modelObject(decodeURIComponent(modelId)));

    const handlers: Record<string, (body: Buffer) => Work | Promise<Work>> = {
      '/v1/images/generations': (body) => generations(body, imageModel),
      '/v1/images/edits': (body) => edits(req, body, imageModel),
      '/v1/chat/completions': chatCompletions,
    };
    const handler = method === 'POST' ? handlers[path] : undefined;
    if (!handler) return apiError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error');

    const work = await handler(await readBody(req));
    Object.assign(call, { model: work.model, prompt: work.prompt, size: work.size, n: work.n });
    const attempt = attempts.get(work.prompt) ?? 0;
    attempts.set(work.prompt, attempt + 1);
    const triggers = findTriggers(work.prompt);
    if (!(await wait(triggers.slowMs, res))) return new Answer(499, null);
    return triggeredFailure(triggers, attempt, work.model, requestId) ?? (await work.answer());
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    const requestId = `req_${randomBytes(16).toString('hex')}`;
    const call: FakeCall = {
      method: req.method ?? 'GET',
      endpoint: new URL(req.url ?? '/', 'http://fake.invalid').pathname,
      time: new Date(started).toISOString(),
      status: null,
    };
    route(req, res, call, requestId)
      .catch((error: unknown) => {
        if (error instanceof Answer) return error;
        if (res.destroyed) return new Answer(499, null);
        console.error('fake OpenAI provider: unexpected error', error);
        return apiError(500, 'The fake OpenAI provider failed unexpectedly.', 'server_error');
      })
      .then((answer) => {
        // A client that gave up (a timeout, an abort) gets nothing, as with the real API.
        const status = res.destroyed ? 499 : answer.status;
        call.status = status;
        send(res, answer, requestId);
        if (!options.quiet && call.endpoint.startsWith('/v1/')) {
          console.log(`${call.method} ${call.endpoint} ${status} ${Date.now() - started}ms`);
        }
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const reachable =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${reachable}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of the openai client and slow answers would hold close() open.
        server.closeAllConnections();
      }),
    calls: () => calls.map((call) => ({ ...call })),
    reset,
  };
}
