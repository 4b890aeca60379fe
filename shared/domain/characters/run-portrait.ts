import type { PortraitJob } from '../generation/jobs.ts';
import { makeImages } from '../generation/make-images.ts';
import type { RunGenerationDeps } from '../generation/run-generation.ts';
import { observed, type RunOutcome, startJob } from '../generation/run-job.ts';
import { type CharacterDeps, portraitLifecycle } from './characters.ts';

export interface RunPortraitDeps
  extends RunGenerationDeps,
    Pick<CharacterDeps, 'characters' | 'removeImage'> {}

/**
 * Does a portrait job: a generation of one image. The character is told of its portrait (or
 * of the failure) before the job's end is written, so that whoever hears the job ended reads
 * the character as it now is. Running it again (a redelivered message, a worker that died
 * half-way) tells the character again, which changes nothing that is already so.
 */
export async function runPortrait(deps: RunPortraitDeps, jobId: string): Promise<RunOutcome> {
  const started = await startJob(deps, jobId, 'portrait');
  if (started === 'missing') return started;
  if (typeof started !== 'string') {
    await portraitLifecycle.running(deps, started);
    const { request, model, modelPrompt } = started;
    return makeImages(
      deps,
      started,
      (n) =>
        observed(deps, () =>
          deps.provider.generate({
            model,
            prompt: modelPrompt,
            size: request.size,
            quality: request.quality,
            n,
          }),
        ),
      {
        kind: 'portrait',
        prompt: request.prompt,
        ...(started.title ? { title: started.title } : {}),
        characterId: request.characterId,
        size: request.size,
        quality: request.quality,
      },
      {
        succeeding: (imageIds) => portraitLifecycle.succeeded(deps, started, imageIds),
        failing: (error) => portraitLifecycle.failed(deps, started, error),
      },
    );
  }
  // Found ended already: the worker that ended it may have stopped before telling the character.
  const job = (await deps.jobs.get(jobId)) as PortraitJob;
  if (job.status === 'SUCCEEDED') await portraitLifecycle.succeeded(deps, job, job.imageIds);
  if (job.status === 'FAILED' && job.error) await portraitLifecycle.failed(deps, job, job.error);
  return started;
}
