import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod/mini';
import { limits } from '../../shared/domain/limits.ts';
import type { ImagePage } from '../../shared/schemas/images.ts';
import type { UploadTicket } from '../../shared/schemas/uploads.ts';
import { action, type Dependencies, integer, oneOf, paged } from '../action.ts';
import type { Context } from '../context.ts';
import { ApiError, CliError } from '../errors.ts';
import type { ApiClient } from '../http-client.ts';
import { table, withSpinner } from '../terminal.ts';
import { type ImageRecord, poll, reportJobImages, sniffImageType, waitForJob } from '../work.ts';
import { styleId } from './generation.ts';

const kinds = ['generated', 'edited', 'uploaded', 'portrait'] as const;
const sorts = ['newest', 'popular'] as const;
const periods = ['day', 'week', 'all'] as const;
const waitOptions = (command: Command) =>
  command.option('--timeout <seconds>', 'how long to wait', integer(1, 3600), 300);

export function registerImages(program: Command, deps: Dependencies) {
  paged(
    program
      .command('images')
      .description('My images, newest first')
      .option('--kind <kind>', `only images of this kind (${kinds.join(', ')})`, oneOf(kinds)),
  ).action(
    action<[], { kind?: (typeof kinds)[number]; limit?: number; cursor?: string }>(
      deps,
      async (context, _args, options) => {
        const api = await context.api();
        const page = await api.call('listImages', {
          query: { kind: options.kind, limit: options.limit, cursor: options.cursor },
        });
        printImages(context, page);
      },
    ),
  );

  const image = program.command('image').description('One image: show, share, unshare, delete, describe');

  image
    .command('show')
    .alias('get')
    .description('Show an image: mine, or anyone’s shared one')
    .argument('<imageId>')
    .action(
      action<[string]>(deps, async (context, [imageId]) => {
        const api = await context.api();
        const detail = await api.call('getImage', { params: { imageId } });
        if (context.json) return context.printJson(detail);
        printImage(context, detail);
      }),
    );

  for (const [name, operationId, summary] of [
    ['share', 'shareImage', 'Share my image in the public gallery'],
    ['unshare', 'unshareImage', 'Take my image out of the public gallery'],
  ] as const)
    image
      .command(name)
      .description(summary)
      .argument('<imageId>')
      .action(
        action<[string]>(deps, async (context, [imageId]) => {
          const api = await context.api();
          const record = await api.call(operationId, { params: { imageId } });
          if (context.json) return context.printJson(record);
          context.print(`${record.imageId} is ${record.isPublic ? 'public' : 'private'}`);
        }),
      );

  image
    .command('download')
    .description('Download the original of my image or of a shared one, under the name the server gives it')
    .argument('<imageId>')
    .option('--out <dir>', 'the directory to write it into', '.')
    .action(
      action<[string], { out: string }>(deps, async (context, [imageId], options) => {
        const api = await context.api();
        const file = await withSpinner(context.io, `Downloading ${imageId}`, () =>
          api.downloadImage(imageId),
        );
        await mkdir(options.out, { recursive: true });
        const written = path.join(options.out, file.name);
        await writeFile(written, file.bytes);
        if (context.json) return context.printJson({ imageId, file: written, bytes: file.bytes.length });
        context.print(written);
      }),
    );

  image
    .command('delete')
    .description('Delete my image, its files and its comments')
    .argument('<imageId>')
    .action(
      action<[string]>(deps, async (context, [imageId]) => {
        const api = await context.api();
        await api.call('deleteImage', { params: { imageId } });
        context.note(`Deleted ${imageId}.`);
      }),
    );

  waitOptions(
    image
      .command('describe')
      .description('Describe my image (again) with the vision model')
      .argument('<imageId>')
      .option('--wait', 'wait for the description and print it'),
  ).action(
    action<[string], { wait?: boolean; timeout: number }>(deps, async (context, [imageId], options) => {
      const api = await context.api();
      const accepted = await api.call('describeImage', { params: { imageId } });
      if (!options.wait) return context.json ? context.printJson(accepted) : context.print(accepted.jobId);
      await waitForJob(context, api, accepted.jobId, options.timeout);
      const described = await api.call('getImage', { params: { imageId } });
      if (context.json) return context.printJson(described);
      context.print(described.description ?? '');
    }),
  );

  waitOptions(
    program
      .command('edit')
      .description('Edit one of my images with a prompt and an optional mask; the result is a new image')
      .argument('<imageId>', 'the image to edit (it is kept)')
      .argument('<prompt>', 'what to change')
      .option('--mask <file>', 'PNG with alpha, of the image’s size: transparent where it should change')
      .option('--size <size>', 'the size of the result (default: the source’s)')
      .option('-n, --count <n>', 'images to make', integer(1, 10))
      .option('--wait', 'wait for the job to finish and print the new image ids')
      .option('--out <dir>', 'wait, then download the originals into this directory'),
  ).action(
    action<
      [string, string],
      { mask?: string; size?: string; count?: number; wait?: boolean; out?: string; timeout: number }
    >(deps, async (context, [imageId, prompt], options) => {
      const api = await context.api();
      const mask = options.mask ? await uploadFile(context, api, options.mask, 'mask') : undefined;
      const body = {
        imageId,
        prompt,
        ...(mask ? { maskUploadId: mask.uploadId } : {}),
        ...(options.size ? { size: options.size } : {}),
        ...(options.count ? { n: options.count } : {}),
      };
      // The mask is checked by the upload worker after it lands; until then the API answers
      // 409 UPLOAD_NOT_READY.
      const accepted = await withSpinner(context.io, 'waiting for the mask to be processed', () =>
        poll(
          () =>
            api.call('createEdit', { body }).catch((error) => {
              if (mask && error instanceof ApiError && error.code === 'UPLOAD_NOT_READY') return undefined;
              throw error;
            }),
          (answer) => answer !== undefined,
          options.timeout,
          'the mask upload',
        ),
      );
      if (!accepted) throw new CliError('The edit was not accepted.');
      if (!options.wait && !options.out)
        return context.json ? context.printJson(accepted) : context.print(accepted.jobId);
      const job = await waitForJob(context, api, accepted.jobId, options.timeout);
      await reportJobImages(context, api, job, options.out);
    }),
  );

  waitOptions(
    program
      .command('upload')
      .description('Add an image file of mine (PNG, JPEG or WebP)')
      .argument('<file>')
      .option(
        '--describe',
        `describe it with the vision model (uploads straight to storage, up to ${megabytes(limits.uploads.maxPresignedBytes)} MB)`,
      )
      .option('--title <title>', 'a title')
      .option('--wait', 'wait until it is processed (and described) and print it'),
  ).action(
    action<[string], { describe?: boolean; title?: string; wait?: boolean; timeout: number }>(
      deps,
      async (context, [file], options) => {
        const api = await context.api();
        const image = await readImage(file);
        let imageId: string;
        const fetchImage = () => api.call('getImage', { params: { imageId } });
        // The API takes files up to 4 MB (Lambda's 6 MB request holds no more once encoded);
        // larger ones go straight to storage, which describes every image it receives.
        if (options.describe || image.bytes.length > limits.uploads.maxApiBytes) {
          if (!options.describe)
            context.note(
              `${path.basename(file)} is over ${megabytes(limits.uploads.maxApiBytes)} MB, so it goes straight to storage, and is described there.`,
            );
          const ticket = await uploadFile(context, api, file, 'describe', image);
          if (!ticket.imageId) throw new CliError('The API gave no image id for the upload.');
          imageId = ticket.imageId;
          if (options.title) {
            // The upload becomes its image record when processed; the title is set on that.
            const processed = await withSpinner(context.io, `processing ${imageId}`, () =>
              poll(fetchImage, (state) => state.status !== 'PENDING', options.timeout, `image ${imageId}`),
            );
            if (processed.status === 'READY')
              await api.call('patchImage', { params: { imageId }, body: { title: options.title } });
          }
        } else {
          const record = await api.call('addImage', {
            body: {
              imageBase64: Buffer.from(image.bytes).toString('base64'),
              describe: false,
              ...(options.title ? { title: options.title } : {}),
            },
          });
          imageId = record.imageId;
        }
        if (!options.wait) return context.json ? context.printJson({ imageId }) : context.print(imageId);
        const record = await withSpinner(context.io, `processing ${imageId}`, () =>
          poll(
            fetchImage,
            (state) =>
              state.status === 'FAILED' ||
              (state.status === 'READY' && state.descriptionStatus !== 'PENDING'),
            options.timeout,
            `image ${imageId}`,
          ),
        );
        if (record.status === 'FAILED')
          throw new CliError(`The upload failed: ${record.error?.code}: ${record.error?.message}`);
        if (context.json) return context.printJson(record);
        printImage(context, record);
      },
    ),
  );

  paged(
    program
      .command('gallery')
      .description('The public gallery, newest first or most liked (no login needed)')
      .option('--search <words>', 'only images whose prompt, title or description has every word')
      .option('--sort <order>', `${sorts.join(' or ')}`, oneOf(sorts))
      .option(
        '--period <period>',
        `with --sort popular: shared within the last ${periods.join(', ')} (default week)`,
        oneOf(periods),
      )
      .option('--style <style>', 'only images of this style, by id or name (see `easel styles`)'),
  ).action(
    action<
      [],
      {
        search?: string;
        sort?: (typeof sorts)[number];
        period?: (typeof periods)[number];
        style?: string;
        limit?: number;
        cursor?: string;
      }
    >(deps, async (context, _args, options) => {
      const api = await context.api();
      const page = await api.call('getGallery', {
        query: {
          q: options.search,
          sort: options.sort,
          period: options.period,
          style: options.style ? await styleId(api, options.style) : undefined,
          limit: options.limit,
          cursor: options.cursor,
        },
      });
      if (!context.json && page.items.length === 0 && !options.cursor) {
        return context.note(
          options.search
            ? `No shared image matches "${options.search}".`
            : options.style || options.sort === 'popular'
              ? 'No shared image fits: try another style or a longer period.'
              : 'The gallery is empty: no one has shared an image yet.',
        );
      }
      printImages(context, page);
    }),
  );

  for (const [name, operationId, summary] of [
    ['like', 'likeImage', 'Like an image: mine, or anyone’s shared one'],
    ['unlike', 'unlikeImage', 'Take back my like of an image'],
  ] as const)
    program
      .command(name)
      .description(summary)
      .argument('<imageId>')
      .action(
        action<[string]>(deps, async (context, [imageId]) => {
          const api = await context.api();
          const state = await api.call(operationId, { params: { imageId } });
          if (context.json) return context.printJson(state);
          const people = `${state.likeCount} ${state.likeCount === 1 ? 'like' : 'likes'}`;
          context.print(`${state.imageId}: ${state.liked ? 'liked' : 'not liked'} (${people})`);
        }),
      );

  paged(program.command('likes').description('The images I like, newest like first')).action(
    action<[], { limit?: number; cursor?: string }>(deps, async (context, _args, options) => {
      const api = await context.api();
      const page = await api.call('listMyLikes', {
        query: { limit: options.limit, cursor: options.cursor },
      });
      if (!context.json && page.items.length === 0 && !options.cursor) {
        return context.note('You have not liked an image yet: `easel like <imageId>` likes one.');
      }
      printImages(context, page);
    }),
  );
}

async function readImage(file: string) {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const contentType = sniffImageType(bytes);
  if (!contentType) throw new CliError(`${file} is not a PNG, JPEG or WebP image.`);
  return { bytes, contentType };
}

const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** A file straight to storage through a presigned POST. */
async function uploadFile(
  context: Context,
  api: ApiClient,
  file: string,
  purpose: 'describe' | 'edit' | 'mask',
  image?: Awaited<ReturnType<typeof readImage>>,
): Promise<z.infer<typeof UploadTicket>> {
  const { bytes, contentType } = image ?? (await readImage(file));
  const ticket = await api.call('createUpload', {
    body: { contentType, contentLength: bytes.length, purpose },
  });
  await withSpinner(context.io, `uploading ${path.basename(file)}`, () =>
    api.postToStorage(ticket, bytes, contentType, path.basename(file)),
  );
  return ticket;
}

function printImages(context: Context, page: z.infer<typeof ImagePage>) {
  if (context.json) return context.printJson(page);
  context.print(
    table([
      ['IMAGE', 'KIND', 'STATUS', 'PUBLIC', 'LIKES', 'CREATED', 'PROMPT / TITLE'],
      ...page.items.map((image) => [
        image.imageId,
        image.kind,
        image.status,
        image.isPublic ? 'yes' : 'no',
        String(image.likeCount ?? 0),
        image.createdAt,
        (image.title ?? image.prompt ?? '').replace(/\s+/g, ' ').slice(0, 60),
      ]),
    ]),
  );
  if (page.nextCursor) context.note(`more: --cursor ${page.nextCursor}`);
}

function printImage(context: Context, image: ImageRecord) {
  const lines: [string, string | number | undefined][] = [
    ['image', image.imageId],
    ['kind', image.kind],
    ['status', image.status],
    ['owner', image.ownerName],
    ['public', image.isPublic ? 'yes' : 'no'],
    ['title', image.title],
    ['prompt', image.prompt],
    ['style', image.style],
    ['size', `${image.width}x${image.height}`],
    ['description', image.description],
    ['comments', image.commentCount],
    ['likes', image.likeCount ?? 0],
    ['original', image.urls.original],
    ['created', image.createdAt],
  ];
  context.print(
    table(lines.filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)])),
  );
}
