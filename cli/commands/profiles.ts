import type { Command } from 'commander';
import { action, type Dependencies, paged } from '../action.ts';
import { CliError } from '../errors.ts';
import { ask, table } from '../terminal.ts';
import { accountCommand } from './auth.ts';

export function registerProfiles(program: Command, deps: Dependencies) {
  paged(
    program
      .command('user')
      .description('A user’s public profile and their public images, newest first')
      .argument('<userId>'),
  ).action(
    action<[string], { limit?: number; cursor?: string }>(deps, async (context, [userId], options) => {
      const api = await context.api();
      const [profile, images] = await Promise.all([
        api.call('getUser', { params: { userId } }),
        api.call('listUserImages', {
          params: { userId },
          query: { limit: options.limit, cursor: options.cursor },
        }),
      ]);
      if (context.json) return context.printJson({ ...profile, images });
      context.print(
        table([
          ['user', profile.userId],
          ['name', profile.displayName],
          ...(profile.bio ? [['bio', profile.bio.replace(/\s+/g, ' ')]] : []),
          ['public images', String(profile.publicImageCount)],
          ['joined', profile.joinedAt],
        ]),
      );
      if (images.items.length) {
        context.print('');
        context.print(
          table([
            ['IMAGE', 'CREATED', 'PROMPT / TITLE'],
            ...images.items.map((image) => [
              image.imageId,
              image.createdAt,
              (image.title ?? image.prompt ?? '').replace(/\s+/g, ' ').slice(0, 60),
            ]),
          ]),
        );
      }
      if (images.nextCursor) context.note(`more: --cursor ${images.nextCursor}`);
    }),
  );

  accountCommand(program)
    .command('delete')
    .description('Delete my account and everything it owns, for good')
    .option('--yes', 'do not ask for confirmation')
    .action(
      action<[], { yes?: boolean }>(deps, async (context, _args, options) => {
        const api = await context.api();
        if (!options.yes) {
          if (!context.io.stdin.isTTY)
            throw new CliError('Deleting your account needs confirmation: add --yes.', 2);
          const answer = await ask(
            context.io,
            'Delete your account and everything in it (images, comments, likes, characters, jobs)? This cannot be undone. [y/N] ',
          );
          if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Nothing deleted.');
        }
        await api.call('deleteMe');
        await api.forget();
        context.note(`Your account on ${api.endpoint} is being deleted; you are logged out.`);
      }),
    );
}
