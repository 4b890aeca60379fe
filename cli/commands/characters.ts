import type { Command } from 'commander';
import type { z } from 'zod/mini';
import { textAttributes } from '../../shared/domain/characters/attributes.ts';
import type {
  Character,
  CreateCharacterRequest,
  PatchCharacterRequest,
} from '../../shared/schemas/characters.ts';
import { action, type Dependencies, integer, paged } from '../action.ts';
import type { Context } from '../context.ts';
import { CliError } from '../errors.ts';
import { table } from '../terminal.ts';
import { poll, waitForJob } from '../work.ts';

type CharacterRecord = z.infer<typeof Character>;
type AttributeOptions = Record<string, string | number | undefined>;

/** Every attribute of a character as a flag: eyeColor → --eye-color. */
const attributeFlags = [...textAttributes, 'notes'].map((key) => ({
  key,
  flag: key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
}));
const clearable = ['age', ...attributeFlags.map(({ key }) => key)];

function withAttributes(command: Command): Command {
  command
    .option('--name <name>', 'the name (1–120 characters)')
    .option('--age <years>', 'age', integer(0, 1000));
  for (const { key, flag } of attributeFlags)
    command.option(
      `--${flag} <text>`,
      key === 'notes' ? 'your own notes (never in the portrait prompt)' : key,
    );
  return command;
}

function attributesOf(options: AttributeOptions) {
  const attributes: Record<string, string | number> = {};
  for (const key of ['name', 'age', ...attributeFlags.map(({ key }) => key)]) {
    const value = options[key];
    if (value !== undefined) attributes[key] = value;
  }
  return attributes;
}

export function registerCharacters(program: Command, deps: Dependencies) {
  const characters = program.command('characters').description('My characters and their generated portraits');

  paged(characters.command('list').description('My characters, newest first')).action(
    action<[], { limit?: number; cursor?: string }>(deps, async (context, _args, options) => {
      const api = await context.api();
      const page = await api.call('listCharacters', {
        query: { limit: options.limit, cursor: options.cursor },
      });
      if (context.json) return context.printJson(page);
      context.print(
        table([
          ['CHARACTER', 'NAME', 'PORTRAIT', 'CREATED'],
          ...page.items.map((character) => [
            character.characterId,
            character.name,
            character.portraitStatus,
            character.createdAt,
          ]),
        ]),
      );
      if (page.nextCursor) context.note(`more: --cursor ${page.nextCursor}`);
    }),
  );

  withAttributes(characters.command('create').description('Create a character; its portrait is generated'))
    .option('--no-portrait', 'do not generate a portrait now')
    .option('--wait', 'wait for the portrait, then show the character with its URLs')
    .option('--timeout <seconds>', 'how long to wait', integer(1, 3600), 300)
    .action(
      action<[], AttributeOptions & { portrait: boolean; wait?: boolean; timeout: number }>(
        deps,
        async (context, _args, options) => {
          if (options.name === undefined) throw new CliError('A character needs a name: --name <name>.', 2);
          if (options.wait && !options.portrait)
            throw new CliError('--wait waits for the portrait; leave out --no-portrait.', 2);
          const api = await context.api();
          const body = {
            ...attributesOf(options),
            generatePortrait: options.portrait,
          } as z.input<typeof CreateCharacterRequest>;
          const created = await api.call('createCharacter', { body });
          if (!options.wait || !created.jobId) return printCharacter(context, created);
          await waitForJob(context, api, created.jobId, options.timeout);
          // The worker tells the character right after the job is written as done, and the
          // socket can say so first: the character is read until it shows the outcome.
          printCharacter(
            context,
            await poll(
              () => api.call('getCharacter', { params: { characterId: created.characterId } }),
              (character) => character.portraitStatus === 'READY' || character.portraitStatus === 'FAILED',
              options.timeout,
              'the portrait',
            ),
          );
        },
      ),
    );

  characters
    .command('show')
    .description('One of my characters, with its portrait’s URLs')
    .argument('<characterId>')
    .action(
      action<[string]>(deps, async (context, [characterId]) => {
        const api = await context.api();
        printCharacter(context, await api.call('getCharacter', { params: { characterId } }));
      }),
    );

  withAttributes(
    characters
      .command('update')
      .description('Change attributes; the portrait is made again when the prompt changed')
      .argument('<characterId>'),
  )
    .option('--clear <attributes...>', `attributes to remove (${clearable.join(', ')})`)
    .option('--regenerate-portrait', 'make the portrait again whatever changed')
    .option('--no-regenerate-portrait', 'keep the portrait whatever changed')
    .action(
      action<[string], AttributeOptions & { clear?: string[]; regeneratePortrait?: boolean }>(
        deps,
        async (context, [characterId], options) => {
          const cleared: Record<string, null> = {};
          for (const key of options.clear ?? []) {
            if (!clearable.includes(key))
              throw new CliError(`--clear: ${key} is not an attribute that can be removed.`, 2);
            cleared[key] = null;
          }
          const body = {
            ...cleared,
            ...attributesOf(options),
            ...(options.regeneratePortrait === undefined
              ? {}
              : { regeneratePortrait: options.regeneratePortrait }),
          } as z.input<typeof PatchCharacterRequest>;
          if (Object.keys(body).length === 0)
            throw new CliError('Nothing to change: give an attribute flag.', 2);
          const api = await context.api();
          printCharacter(context, await api.call('patchCharacter', { params: { characterId }, body }));
        },
      ),
    );

  characters
    .command('delete')
    .description('Delete one of my characters and its portraits')
    .argument('<characterId>')
    .action(
      action<[string]>(deps, async (context, [characterId]) => {
        const api = await context.api();
        await api.call('deleteCharacter', { params: { characterId } });
        context.note(`Deleted ${characterId}.`);
      }),
    );

  characters
    .command('portrait')
    .description('Generate the character’s portrait again')
    .argument('<characterId>')
    .option('--wait', 'wait for the portrait and print its image id')
    .option('--timeout <seconds>', 'how long to wait', integer(1, 3600), 300)
    .action(
      action<[string], { wait?: boolean; timeout: number }>(deps, async (context, [characterId], options) => {
        const api = await context.api();
        const accepted = await api.call('createPortrait', { params: { characterId } });
        if (!options.wait) return context.json ? context.printJson(accepted) : context.print(accepted.jobId);
        const job = await waitForJob(context, api, accepted.jobId, options.timeout);
        if (context.json) return context.printJson(job);
        for (const imageId of job.imageIds) context.print(imageId);
      }),
    );

  characters
    .command('stats')
    .description('Statistics of my characters')
    .action(
      action<[]>(deps, async (context) => {
        const api = await context.api();
        const stats = await api.call('getCharacterStats');
        if (context.json) return context.printJson(stats);
        context.print(`total: ${stats.total}, with a portrait: ${stats.withPortrait}`);
        for (const [title, counts] of [
          ['by gender', stats.byGender],
          ['by age', stats.byAgeBracket],
        ] as const)
          context.print(
            `${title}: ${
              Object.entries(counts)
                .map(([key, count]) => `${key} ${count}`)
                .join(', ') || '—'
            }`,
          );
        if (stats.latest) context.print(`latest: ${stats.latest.name} (${stats.latest.characterId})`);
      }),
    );
}

function printCharacter(context: Context, character: CharacterRecord) {
  if (context.json) return context.printJson(character);
  const rows = Object.entries(character)
    .filter(([key, value]) => key !== 'urls' && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => [key, String(value)]);
  if (character.urls) rows.push(['portrait', character.urls.original]);
  context.print(table(rows));
}
