import OpenAI, {
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  toFile,
} from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../../scripts/fake-openai/server.ts';

const IMAGE_MODEL = 'gpt-image-1.5';
const VISION_MODEL = 'gpt-5-mini';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ port: 0, quiet: true });
});

afterAll(async () => {
  await fake.close();
});

function client(options: { maxRetries?: number; timeout?: number } = {}): OpenAI {
  return new OpenAI({ apiKey: 'fake', baseURL: fake.url, maxRetries: 0, ...options });
}

async function generate(
  prompt: string,
  extra: { size?: '1024x1024' | '1536x1024' | '256x256'; n?: number } = {},
) {
  return client().images.generate({ model: IMAGE_MODEL, prompt, ...extra });
}

function decoded(response: OpenAI.ImagesResponse, index = 0): Buffer {
  const b64 = response.data?.[index]?.b64_json;
  expect(b64).toBeTypeOf('string');
  return Buffer.from(b64!, 'base64');
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to fail'),
    (error: unknown) => error,
  );
}

function statusesFor(prompt: string): (number | null)[] {
  return fake
    .calls()
    .filter((call) => call.prompt === prompt)
    .map((call) => call.status);
}

async function png(
  width: number,
  height: number,
  colour: { r: number; g: number; b: number },
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { ...colour, alpha: 1 } } })
    .png()
    .toBuffer();
}

describe('image generations', () => {
  it('answers with a decodable PNG of the requested size', async () => {
    for (const [size, width, height] of [
      ['1536x1024', 1536, 1024],
      ['256x256', 256, 256],
    ] as const) {
      const response = await generate('a lighthouse at dusk', { size });
      const metadata = await sharp(decoded(response)).metadata();
      expect(metadata).toMatchObject({ format: 'png', width, height });
      expect(response.size).toBe(size);
    }
  });

  it('treats auto as 1024x1024', async () => {
    const response = await client().images.generate({
      model: IMAGE_MODEL,
      prompt: 'auto size',
      size: 'auto',
    });
    expect(await sharp(decoded(response)).metadata()).toMatchObject({ width: 1024, height: 1024 });
  });

  it('returns n different images for n=3', async () => {
    const response = await generate('three foxes', { size: '256x256', n: 3 });
    expect(response.data).toHaveLength(3);
    const images = [0, 1, 2].map((i) => decoded(response, i).toString('base64'));
    expect(new Set(images).size).toBe(3);
  });

  it('draws the same bytes for the same prompt and different bytes for another', async () => {
    const first = decoded(await generate('a red bicycle', { size: '256x256' }));
    const again = decoded(await generate('a red bicycle', { size: '256x256' }));
    const other = decoded(await generate('a blue boat', { size: '256x256' }));
    expect(again.equals(first)).toBe(true);
    expect(other.equals(first)).toBe(false);
  });

  it('rejects an unparseable size with an invalid_request_error on param size', async () => {
    const error = await caught(
      client().images.generate({ model: IMAGE_MODEL, prompt: 'x', size: 'huge' as '1024x1024' }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'size' });
  });
});

describe('image edits', () => {
  it('answers with a PNG of the requested size for an image and a mask', async () => {
    const source = await png(300, 200, { r: 200, g: 40, b: 40 });
    const mask = await sharp({
      create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const response = await client().images.edit({
      model: IMAGE_MODEL,
      image: await toFile(source, 'in.png', { type: 'image/png' }),
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      prompt: 'add a hat',
      size: '1024x1536',
    });
    expect(await sharp(decoded(response)).metadata()).toMatchObject({
      format: 'png',
      width: 1024,
      height: 1536,
    });
  });

  it("keeps the source image's size when no size is asked, and accepts several images", async () => {
    const images = [
      await toFile(await png(300, 200, { r: 10, g: 200, b: 40 }), 'a.png', { type: 'image/png' }),
      await toFile(await png(64, 64, { r: 10, g: 20, b: 240 }), 'b.png', { type: 'image/png' }),
    ];
    const response = await client().images.edit({
      model: IMAGE_MODEL,
      image: images,
      prompt: 'combine them',
    });
    expect(await sharp(decoded(response)).metadata()).toMatchObject({ width: 300, height: 200 });
  });

  it('rejects an upload that is not an image by its bytes, whatever its declared type', async () => {
    const error = await caught(
      client().images.edit({
        model: IMAGE_MODEL,
        image: await toFile(Buffer.from('just some text'), 'fake.png', { type: 'image/png' }),
        prompt: 'edit it',
      }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'image' });
  });
});

describe('chat completions', () => {
  it('describes a data-URL image with its real size, format and colour', async () => {
    const image = await png(512, 512, { r: 0, g: 128, b: 128 });
    const completion = await client().chat.completions.create({
      model: VISION_MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe this image.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${image.toString('base64')}` } },
          ],
        },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).toContain('512×512');
    expect(content).toContain('PNG');
    expect(content).toContain('teal');
  });

  it('answers a text-only question with a short canned text', async () => {
    const completion = await client().chat.completions.create({
      model: VISION_MODEL,
      messages: [{ role: 'user', content: 'What is a kite?' }],
    });
    expect(completion.choices[0]?.message.content).toContain('What is a kite?');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });
});

describe('fault triggers', () => {
  it('[fake:moderation] is a 400 moderation_blocked the client does not retry', async () => {
    const prompt = 'a forbidden thing [fake:moderation]';
    const error = await caught(client({ maxRetries: 2 }).images.generate({ model: IMAGE_MODEL, prompt }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: 'moderation_blocked',
      type: 'image_generation_user_error',
    });
    expect(statusesFor(prompt)).toEqual([400]);
  });

  it('[fake:moderation] also blocks an edit and a chat message', async () => {
    const edit = caught(
      client().images.edit({
        model: IMAGE_MODEL,
        image: await toFile(await png(32, 32, { r: 1, g: 2, b: 3 }), 'in.png', { type: 'image/png' }),
        prompt: 'edit [fake:moderation]',
      }),
    );
    const chat = caught(
      client().chat.completions.create({
        model: VISION_MODEL,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'describe [fake:moderation]' }] }],
      }),
    );
    for (const error of await Promise.all([edit, chat])) {
      expect(error).toMatchObject({ status: 400, code: 'moderation_blocked' });
    }
  });

  it('[fake:rate-limit] answers 429 with retry-after to the first two calls, then succeeds', async () => {
    const prompt = 'busy [fake:rate-limit]';
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await caught(generate(prompt, { size: '256x256' }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
      expect((error as RateLimitError).headers.get('retry-after')).toBe('1');
    }
    expect((await generate(prompt, { size: '256x256' })).data).toHaveLength(1);
  });

  it("[fake:rate-limit] is absorbed by the client's own retries, which wait as retry-after says", async () => {
    const prompt = 'busy again [fake:rate-limit]';
    const started = Date.now();
    const response = await client({ maxRetries: 2 }).images.generate({
      model: IMAGE_MODEL,
      prompt,
      size: '256x256',
    });
    expect(response.data).toHaveLength(1);
    // Two waits of retry-after: 1 s each; the client's own backoff would be shorter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(statusesFor(prompt)).toEqual([429, 429, 200]);
  });

  it('[fake:error] answers 500 once, then succeeds', async () => {
    const prompt = 'flaky [fake:error]';
    const error = await caught(generate(prompt, { size: '256x256' }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error' });
    expect((await generate(prompt, { size: '256x256' })).data).toHaveLength(1);
  });

  it('[fake:fail-always] answers 500 every time', async () => {
    const prompt = 'broken [fake:fail-always]';
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await caught(generate(prompt, { size: '256x256' }))).toMatchObject({ status: 500 });
    }
    expect(statusesFor(prompt)).toEqual([500, 500, 500]);
  });

  it('[fake:slow=300] answers only after the delay', async () => {
    const started = Date.now();
    const response = await generate('patient [fake:slow=300]', { size: '256x256' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(response.data).toHaveLength(1);
  });

  it('[fake:slow] does not hold up other requests', async () => {
    // Slow enough that no busy machine makes the fast call outlast it; aborted once that has answered.
    const slowPrompt = 'slow lane [fake:slow=120000]';
    const abort = new AbortController();
    const slow = caught(
      client().images.generate(
        { model: IMAGE_MODEL, prompt: slowPrompt, size: '256x256' },
        { signal: abort.signal },
      ),
    );
    await expect.poll(() => statusesFor(slowPrompt)).toEqual([null]);
    expect((await generate('fast lane', { size: '256x256' })).data).toHaveLength(1);
    expect(statusesFor(slowPrompt)).toEqual([null]);
    abort.abort();
    await slow;
    await expect.poll(() => statusesFor(slowPrompt)).toEqual([499]);
  });

  it('[fake:slow] past the client timeout is an APIConnectionTimeoutError, and the fake stops', async () => {
    const prompt = 'too slow [fake:slow=300]';
    const error = await caught(
      client({ timeout: 100 }).images.generate({ model: IMAGE_MODEL, prompt, size: '256x256' }),
    );
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    await expect.poll(() => statusesFor(prompt)).toEqual([499]);
  });
});

describe('protocol', () => {
  it('answers 401 without an Authorization header', async () => {
    const error = await caught(client().models.list({ headers: { Authorization: null } }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, type: 'invalid_request_error' });
  });

  it('answers 404 with an OpenAI-shaped error for an unknown path', async () => {
    const error = await caught(client().get('/no/such/thing'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, type: 'invalid_request_error' });
  });

  it('lists models', async () => {
    const page = await client().models.list();
    expect(page.data.length).toBeGreaterThan(0);
  });

  it('records calls and clears them and the trigger counters on reset', async () => {
    const prompt = 'counted [fake:error]';
    expect(await caught(generate(prompt, { size: '256x256' }))).toMatchObject({ status: 500 });
    const recorded = (await (await fetch(new URL('/__fake/calls', fake.url))).json()) as unknown[];
    expect(recorded).toContainEqual(
      expect.objectContaining({
        endpoint: '/v1/images/generations',
        model: IMAGE_MODEL,
        prompt,
        size: '256x256',
        n: 1,
        status: 500,
      }),
    );

    expect((await fetch(new URL('/__fake/reset', fake.url), { method: 'POST' })).status).toBe(204);
    expect(fake.calls()).toEqual([]);
    // The counter starts again, so the first call after a reset fails again.
    expect(await caught(generate(prompt, { size: '256x256' }))).toMatchObject({ status: 500 });
  });
});
