import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { invalid } from './answer.ts';
import { describeImage } from './image.ts';
import { imageParams, imagesAnswer } from './images-answer.ts';
import { checkedUpload, readForm, textField, type Upload } from './multipart.ts';
import { MAX_SIDE, MIN_SIDE, rejectStreaming, requiredString, type Work } from './request.ts';

const UPLOAD_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

/**
 * `POST /v1/images/edits`: a multipart body with one or more images and an optional mask;
 * images drawn from the prompt and the uploaded bytes, at the first image's size by default.
 */
export async function edits(req: IncomingMessage, body: Buffer, imageModel: string): Promise<Work> {
  const form = await readForm(req, body);
  const field = (name: string) => textField(form, name);
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
  const params = imageParams(field, await sourceSize(images[0]!));
  const digest = createHash('sha256');
  for (const bytes of [...images, ...(mask ? [mask] : [])]) digest.update(bytes);
  return {
    model,
    prompt,
    size: `${params.width}x${params.height}`,
    n: params.n,
    answer: () => imagesAnswer(`${prompt}\n${digest.digest('hex')}`, prompt, params, images.length),
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
