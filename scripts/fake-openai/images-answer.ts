import { Answer } from './answer.ts';
import { drawImage, type OutputFormat } from './image.ts';
import { parseCount, parseOutputFormat, parseSize, textTokens } from './request.ts';

/** What a generation or an edit asks of its images. */
export interface ImageParams {
  width: number;
  height: number;
  n: number;
  quality: unknown;
  background: unknown;
  format: OutputFormat;
}

/** The image parameters of a request, read by name from its JSON body or its form. */
export function imageParams(
  value: (name: string) => unknown,
  fallbackSize: { width: number; height: number },
): ImageParams {
  const { width, height } = parseSize(value('size'), fallbackSize);
  const n = parseCount(value('n'));
  const format = parseOutputFormat(value('output_format'));
  return { width, height, n, quality: value('quality'), background: value('background'), format };
}

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

/** The images response shared by generations and edits: `n` images drawn from the seed. */
export async function imagesAnswer(
  seed: string,
  prompt: string,
  params: ImageParams,
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
