import type { ImageProvider } from '../ports.ts';
import { type MakeImagesDeps, makeImages } from './make-images.ts';
import { observed, type RunOutcome, startJob } from './run-job.ts';

export interface RunGenerationDeps extends MakeImagesDeps {
  readonly provider: Pick<ImageProvider, 'generate'>;
}

/** Does a generation job: the model draws the job's missing images from its prompt. */
export async function runGeneration(deps: RunGenerationDeps, jobId: string): Promise<RunOutcome> {
  const job = await startJob(deps, jobId, 'generation');
  if (typeof job === 'string') return job;
  const { request } = job;
  return makeImages(
    deps,
    job,
    (n) =>
      observed(deps, () =>
        deps.provider.generate({
          model: job.model,
          prompt: job.modelPrompt,
          size: request.size,
          quality: request.quality,
          n,
        }),
      ),
    {
      kind: 'generated',
      prompt: request.prompt,
      ...(request.style ? { style: request.style } : {}),
      ...(request.characterId ? { characterId: request.characterId } : {}),
      size: request.size,
      quality: request.quality,
      ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
    },
  );
}
