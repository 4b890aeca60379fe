import { imageParams, imagesAnswer } from './images-answer.ts';
import { parseJson, rejectStreaming, requiredString, type Work } from './request.ts';

/** `POST /v1/images/generations`: a JSON body; images drawn from the prompt alone. */
export function generations(body: Buffer, imageModel: string): Work {
  const json = parseJson(body);
  const prompt = requiredString(json.prompt, 'prompt');
  const model = typeof json.model === 'string' ? json.model : imageModel;
  rejectStreaming(json.stream);
  const params = imageParams((name) => json[name], { width: 1024, height: 1024 });
  return {
    model,
    prompt,
    size: `${params.width}x${params.height}`,
    n: params.n,
    answer: () => imagesAnswer(prompt, prompt, params),
  };
}
