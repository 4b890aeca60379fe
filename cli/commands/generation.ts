import type { Command } from 'commander';
import type { z } from 'zod/mini';
import type { CreateGenerationRequest } from '../../shared/schemas/generation.ts';
import { action, type Dependencies, integer, oneOf, paged } from '../action.ts';
import type { ApiClient } from '../http-client.ts';
import { table } from '../terminal.ts';
import { reportJobImages, waitForJob } from '../work.ts';

export const jobStatuses = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;

interface GenerateOptions {
  style?: string;
  size?: string;
  quality?: string;
  n?: number;
  negative?: string;
  character?: string;
  idempotencyKey?: string;
  wait?: boolean;
  out?: string;
  timeout: number;
}

/** "Watercolour", "watercolour" and "WATERCOLOR" alike: no case, no accents, no spacing. */
const looseName = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** The id of the style named `wanted`, by its id or its name as the web shows it; the API refuses any other. */
export async function styleId(api: ApiClient, wanted: string): Promise<string> {
  const { items } = await api.call('getStyles');
  const match =
    items.find((style) => style.id === wanted) ??
    items.find(
      (style) => looseName(style.id) === looseName(wanted) || looseName(style.name) === looseName(wanted),
    );
  return match?.id ?? wanted;
}

export function registerGeneration(program: Command, deps: Dependencies) {
  program
    .command('styles')
    .description('The styles a generation can ask for: their ids and names')
    .action(
      action<[]>(deps, async (context) => {
        const api = await context.api();
        const styles = await api.call('getStyles');
        if (context.json) return context.printJson(styles);
        context.print(
          table([
            ['STYLE', 'NAME', 'DESCRIPTION'],
            ...styles.items.map((s) => [s.id, s.name, s.description]),
          ]),
        );
      }),
    );

  program
    .command('generate')
    .description('Generate images from a prompt; with --wait (or --out), wait for them')
    .argument('<prompt>', 'what to draw')
    .option('--style <style>', 'a style, by id or name (see `easel styles`)')
    .option('--size <size>', 'e.g. 1024x1024 (see GET /api/config)')
    .option('--quality <quality>', 'e.g. low, medium, high (see GET /api/config)')
    .option('-n, --count <n>', 'images to make', integer(1, 10))
    .option('--negative <text>', 'what the image should not show')
    .option('--character <characterId>', 'draw one of my characters')
    .option('--idempotency-key <key>', 'the same key and prompt again queues nothing new')
    .option('--wait', 'wait for the job to finish and print the image ids')
    .option('--out <dir>', 'wait, then download the originals into this directory')
    .option('--timeout <seconds>', 'how long to wait', integer(1, 3600), 300)
    .action(
      action<[string], GenerateOptions & { count?: number }>(deps, async (context, [prompt], options) => {
        const api = await context.api();
        const body: z.input<typeof CreateGenerationRequest> = {
          prompt,
          ...(options.style ? { style: await styleId(api, options.style) } : {}),
          ...(options.size ? { size: options.size } : {}),
          ...(options.quality ? { quality: options.quality } : {}),
          ...(options.count ? { n: options.count } : {}),
          ...(options.negative ? { negativePrompt: options.negative } : {}),
          ...(options.character ? { characterId: options.character } : {}),
        };
        const accepted = await api.call('createGeneration', {
          body,
          ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
        });
        if (!options.wait && !options.out) {
          if (context.json) return context.printJson(accepted);
          return context.print(accepted.jobId);
        }
        const job = await waitForJob(context, api, accepted.jobId, options.timeout);
        await reportJobImages(context, api, job, options.out);
      }),
    );

  paged(
    program
      .command('jobs')
      .description('My jobs, newest first')
      .option('--status <status>', `only jobs in this state (${jobStatuses.join(', ')})`, oneOf(jobStatuses)),
  ).action(
    action<[], { status?: (typeof jobStatuses)[number]; limit?: number; cursor?: string }>(
      deps,
      async (context, _args, options) => {
        const api = await context.api();
        const page = await api.call('listJobs', {
          query: { status: options.status, limit: options.limit, cursor: options.cursor },
        });
        if (context.json) return context.printJson(page);
        context.print(
          table([
            ['JOB', 'TYPE', 'STATUS', 'CREATED', 'IMAGES / ERROR'],
            ...page.items.map((job) => [
              job.jobId,
              job.type,
              job.status,
              job.createdAt,
              job.error ? `${job.error.code}: ${job.error.message}` : job.imageIds.join(' '),
            ]),
          ]),
        );
        if (page.nextCursor) context.note(`more: --cursor ${page.nextCursor}`);
      },
    ),
  );
}
