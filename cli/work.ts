import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod/mini';
import type { Job } from '../shared/schemas/generation.ts';
import type { Image } from '../shared/schemas/images.ts';
import type { Context } from './context.ts';
import { CliError } from './errors.ts';
import type { ApiClient } from './http-client.ts';
import { openJobFeed } from './live.ts';
import { withSpinner } from './terminal.ts';

export type JobRecord = z.infer<typeof Job>;
export type ImageRecord = z.infer<typeof Image>;

const pollMs = 500;

/** Polls until `done` holds, or the time is up. */
export async function poll<T>(
  fetchState: () => Promise<T>,
  done: (state: T) => boolean,
  timeoutSeconds: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const state = await fetchState();
    if (done(state)) return state;
    if (Date.now() > deadline)
      throw new CliError(`Gave up waiting for ${what} after ${timeoutSeconds} s; it is still under way.`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const settled = (status: JobRecord['status']) => status === 'SUCCEEDED' || status === 'FAILED';

/**
 * Waits for a job on the live-updates socket: once it is open, the job is read once (it may
 * have moved before), then its change to SUCCEEDED or FAILED arrives. Polls instead when
 * the socket cannot be opened or closes first.
 */
async function waitOnSocket(
  api: ApiClient,
  jobId: string,
  fetchJob: () => Promise<JobRecord>,
  timeoutSeconds: number,
): Promise<JobRecord | undefined> {
  const feed = await openJobFeed(api);
  if (!feed) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const job = await fetchJob();
    if (settled(job.status)) return job;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CliError(
              `Gave up waiting for job ${jobId} after ${timeoutSeconds} s; it is still under way.`,
            ),
          ),
        timeoutSeconds * 1000,
      );
    });
    const event = await Promise.race([feed.next(jobId, (change) => settled(change.status)), timeout]);
    if (!event) return undefined;
    const { error: _error, ...before } = job;
    return {
      ...before,
      status: event.status,
      imageIds: event.imageIds ?? job.imageIds,
      updatedAt: event.updatedAt,
      ...(event.error ? { error: event.error } : {}),
    };
  } finally {
    clearTimeout(timer);
    feed.close();
  }
}

/** Waits for a job to finish; a failed job is a failure of the command, with the job's reason. */
export async function waitForJob(
  context: Context,
  api: ApiClient,
  jobId: string,
  timeoutSeconds: number,
): Promise<JobRecord> {
  const fetchJob = () => api.call('getJob', { params: { jobId } });
  const job = await withSpinner(
    context.io,
    `waiting for job ${jobId}`,
    async () =>
      (await waitOnSocket(api, jobId, fetchJob, timeoutSeconds)) ??
      poll(fetchJob, (state) => settled(state.status), timeoutSeconds, `job ${jobId}`),
  );
  if (job.status === 'FAILED')
    throw new CliError(
      `Job ${jobId} failed: ${job.error ? `${job.error.code}: ${job.error.message}` : 'no reason given'}`,
    );
  return job;
}

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** Downloads the originals of these images into `directory`; answers the files written. */
export async function saveOriginals(api: ApiClient, imageIds: readonly string[], directory: string) {
  await mkdir(directory, { recursive: true });
  const files: string[] = [];
  for (const imageId of imageIds) {
    const image = await api.call('getImage', { params: { imageId } });
    const file = path.join(directory, `${imageId}.${extensions[image.contentType] ?? 'bin'}`);
    await writeFile(file, await api.download(image.urls.original));
    files.push(file);
  }
  return files;
}

/** After a job: the files when --out was given, else the image ids. */
export async function reportJobImages(
  context: Context,
  api: ApiClient,
  job: JobRecord,
  out: string | undefined,
): Promise<void> {
  const files = out ? await saveOriginals(api, job.imageIds, out) : [];
  if (context.json) return context.printJson({ ...job, ...(out ? { files } : {}) });
  for (const line of out ? files : job.imageIds) context.print(line);
}

/** The image types the API takes, told by their first bytes as the API itself judges them. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP')
    return 'image/webp';
  return undefined;
}
