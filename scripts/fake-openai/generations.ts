import { imagesAnswer } from './images-answer.ts';
import {
  parseCount,
  parseJson,
  parseOutputFormat,
  parseSize,
  rejectStreaming,
  requiredString,
  type Work,
} from './request.ts';

/** `POST /v1/images/generations`: a JSON body; images drawn from the prompt alone. */
export function generations(body: Buffer, imageModel: string): Work {
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
