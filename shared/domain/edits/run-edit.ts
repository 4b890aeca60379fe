import { type MakeImagesDeps, makeImages } from '../generation/make-images.ts';
import { ProviderRefusal } from '../generation/provider-errors.ts';
import { observed, type RunOutcome, startJob } from '../generation/run-job.ts';
import type { ImageProvider } from '../ports.ts';

export interface RunEditDeps extends MakeImagesDeps {
  readonly provider: Pick<ImageProvider, 'edit'>;
}

/**
 * Does an edit job: the model redraws the job's source (within the mask, when there is
 * one) into its missing images. The inputs were stored under the job when it was
 * accepted, so a retry never depends on the upload or image they came from; the source
 * itself is never changed, the results are new `edited` images.
 */
export async function runEdit(deps: RunEditDeps, jobId: string): Promise<RunOutcome> {
  const job = await startJob(deps, jobId, 'edit');
  if (typeof job === 'string') return job;
  const { request } = job;
  return makeImages(
    deps,
    job,
    async (n) => {
      const [image, mask] = await Promise.all([
        deps.storage.get(job.sourceKey),
        job.maskKey ? deps.storage.get(job.maskKey) : undefined,
      ]);
      if (!image || (job.maskKey && !mask)) {
        throw new ProviderRefusal('INVALID_SOURCE', 'The source or mask of the edit is no longer stored.');
      }
      return observed(deps, () =>
        deps.provider.edit({ model: job.model, image, mask, prompt: request.prompt, size: request.size, n }),
      );
    },
    {
      kind: 'edited',
      prompt: request.prompt,
      ...(request.size === 'auto' ? {} : { size: request.size }),
      ...(request.parentImageId ? { parentImageId: request.parentImageId } : {}),
      sourceKey: job.sourceKey,
      ...(job.maskKey ? { maskKey: job.maskKey } : {}),
    },
  );
}
