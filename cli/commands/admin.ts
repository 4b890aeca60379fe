import type { Command } from 'commander';
import { type QueueName, queues } from '../../shared/resources.ts';
import { action, type Dependencies, integer, oneOf } from '../action.ts';
import type { Context } from '../context.ts';
import { CliError } from '../errors.ts';
import { ask, table, withSpinner } from '../terminal.ts';

const queueNames = Object.keys(queues) as QueueName[];

async function sqsOf(context: Context) {
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const deployment = await context.deployment();
  return { sqs: new SQSClient(deployment.clientConfig('SQS')), deployment };
}

async function storeOf(context: Context) {
  const { operatorStore } = await import('../operator-store.ts');
  return operatorStore(await context.deployment());
}

async function cognitoOf(context: Context) {
  const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
  const deployment = await context.deployment();
  return {
    cognito: new CognitoIdentityProviderClient(deployment.clientConfig('COGNITO_IDENTITY_PROVIDER')),
    deployment,
  };
}

/** Each owner's e-mail by user id (the id where the account is gone), one pool lookup per owner. */
async function emailsOf(context: Context, userIds: readonly string[]): Promise<Map<string, string>> {
  const { ListUsersCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const { cognito, deployment } = await cognitoOf(context);
  const emails = new Map<string, string>();
  try {
    for (const userId of new Set(userIds)) {
      const { Users = [] } = await cognito.send(
        new ListUsersCommand({
          UserPoolId: deployment.userPoolId,
          Filter: `sub = "${userId.replaceAll('"', '')}"`,
          Limit: 1,
        }),
      );
      const email = Users[0]?.Attributes?.find((attribute) => attribute.Name === 'email')?.Value;
      emails.set(userId, email ?? userId);
    }
  } finally {
    cognito.destroy();
  }
  return emails;
}

export function registerAdmin(program: Command, deps: Dependencies) {
  const admin = program
    .command('admin')
    .description(
      'Operator commands: AWS credentials and the deployment (--stack <stage>, else the local stack of npm run dev)',
    );

  const dlq = admin
    .command('dlq')
    .description('Dead-letter queues: what failed for good, and sending it back');

  dlq
    .command('list')
    .description('Messages waiting in each dead-letter queue')
    .action(
      action<[]>(deps, async (context) => {
        const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
        const { sqs, deployment } = await sqsOf(context);
        try {
          const rows = [];
          for (const name of queueNames) {
            const { Attributes = {} } = await sqs.send(
              new GetQueueAttributesCommand({
                QueueUrl: deployment.queues[name].dlqUrl,
                AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
              }),
            );
            rows.push({
              queue: name,
              messages: Number(Attributes.ApproximateNumberOfMessages ?? 0),
              inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
              url: deployment.queues[name].dlqUrl,
            });
          }
          if (context.json) return context.printJson(rows);
          context.print(
            table([
              ['QUEUE', 'MESSAGES', 'IN FLIGHT', 'DEAD-LETTER QUEUE'],
              ...rows.map((row) => [row.queue, String(row.messages), String(row.inFlight), row.url]),
            ]),
          );
        } finally {
          sqs.destroy();
        }
      }),
    );

  dlq
    .command('redrive')
    .description('Move the messages of a dead-letter queue back to its queue, to be worked on again')
    .argument('<queue>', `the queue (${queueNames.join(', ')})`, oneOf(queueNames))
    .option('--max <n>', 'move at most this many messages', integer(1, 1_000_000))
    .action(
      action<[QueueName], { max?: number }>(deps, async (context, [name], options) => {
        const { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } = await import(
          '@aws-sdk/client-sqs'
        );
        const { sqs, deployment } = await sqsOf(context);
        const { url, dlqUrl } = deployment.queues[name];
        const max = options.max ?? Number.POSITIVE_INFINITY;
        let moved = 0;
        try {
          // Receive, send, then delete: a crash in between leaves a copy in both queues, never in
          // neither, and the workers' conditional writes make a second delivery harmless.
          // (SQS's StartMessageMoveTask would do this server-side, but emulators lack it.)
          await withSpinner(context.io, `moving messages from the ${name} dead-letter queue`, async () => {
            while (moved < max) {
              const { Messages = [] } = await sqs.send(
                new ReceiveMessageCommand({
                  QueueUrl: dlqUrl,
                  MaxNumberOfMessages: Math.min(10, max - moved),
                  WaitTimeSeconds: 1,
                  VisibilityTimeout: 60,
                  MessageAttributeNames: ['All'],
                }),
              );
              if (Messages.length === 0) break;
              for (const message of Messages) {
                await sqs.send(
                  new SendMessageCommand({
                    QueueUrl: url,
                    MessageBody: message.Body ?? '',
                    ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length > 0
                      ? { MessageAttributes: message.MessageAttributes }
                      : {}),
                  }),
                );
                await sqs.send(
                  new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }),
                );
                moved++;
              }
            }
          });
        } finally {
          sqs.destroy();
        }
        if (context.json) return context.printJson({ queue: name, moved });
        context.print(
          `Moved ${moved} message${moved === 1 ? '' : 's'} from the ${name} dead-letter queue to ${name}.`,
        );
      }),
    );

  const users = admin.command('users').description('Accounts in the user pool');

  users
    .command('list')
    .description('Accounts, with their state')
    .option('--limit <n>', 'accounts per page (1–60)', integer(1, 60), 60)
    .option('--cursor <token>', 'the page after this one (printed after a full page)')
    .action(
      action<[], { limit: number; cursor?: string }>(deps, async (context, _args, options) => {
        const { ListUsersCommand } = await import('@aws-sdk/client-cognito-identity-provider');
        const { cognito, deployment } = await cognitoOf(context);
        try {
          const answer = await cognito.send(
            new ListUsersCommand({
              UserPoolId: deployment.userPoolId,
              Limit: options.limit,
              ...(options.cursor ? { PaginationToken: options.cursor } : {}),
            }),
          );
          const items = (answer.Users ?? []).map((user) => ({
            email:
              user.Attributes?.find((attribute) => attribute.Name === 'email')?.Value ?? user.Username ?? '',
            userId: user.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? '',
            status: user.UserStatus ?? '',
            enabled: user.Enabled ?? false,
            createdAt: user.UserCreateDate?.toISOString() ?? '',
          }));
          const nextCursor = answer.PaginationToken ?? null;
          if (context.json) return context.printJson({ items, nextCursor });
          context.print(
            table([
              ['EMAIL', 'STATUS', 'ENABLED', 'CREATED', 'USER'],
              ...items.map((user) => [
                user.email,
                user.status,
                user.enabled ? 'yes' : 'no',
                user.createdAt,
                user.userId,
              ]),
            ]),
          );
          if (nextCursor) context.note(`more: --cursor ${nextCursor}`);
        } finally {
          cognito.destroy();
        }
      }),
    );

  for (const [name, summary] of [
    ['disable', 'Stop an account from logging in (its data stays)'],
    ['enable', 'Let a disabled account log in again'],
  ] as const)
    users
      .command(name)
      .description(summary)
      .argument('<email>')
      .action(
        action<[string]>(deps, async (context, [email]) => {
          const { AdminDisableUserCommand, AdminEnableUserCommand } = await import(
            '@aws-sdk/client-cognito-identity-provider'
          );
          const { cognito, deployment } = await cognitoOf(context);
          const input = { UserPoolId: deployment.userPoolId, Username: email.trim().toLowerCase() };
          try {
            await cognito.send(
              name === 'disable' ? new AdminDisableUserCommand(input) : new AdminEnableUserCommand(input),
            );
          } catch (error) {
            if ((error as Error).name === 'UserNotFoundException')
              throw new CliError(`No account ${email} in ${deployment.description}.`);
            throw error;
          } finally {
            cognito.destroy();
          }
          context.note(`${name === 'disable' ? 'Disabled' : 'Enabled'} ${email}.`);
        }),
      );

  admin
    .command('jobs')
    .description('Failed jobs of every user, newest first (jobs failed since this listing was kept)')
    .requiredOption(
      '--status <status>',
      'the state; only FAILED is listed deployment-wide',
      oneOf(['FAILED']),
    )
    .option('--limit <n>', 'jobs per page (1–100)', integer(1, 100), 50)
    .option('--cursor <cursor>', 'the page after this cursor (printed after a full page)')
    .action(
      action<[], { limit: number; cursor?: string }>(deps, async (context, _args, options) => {
        const store = await storeOf(context);
        try {
          const page = await store.failedJobs(options.limit, options.cursor);
          if (context.json) return context.printJson(page);
          const owners = await emailsOf(
            context,
            page.items.map((job) => String(job.ownerId)),
          );
          context.print(
            table([
              ['JOB', 'TYPE', 'OWNER', 'FAILED AT', 'ERROR'],
              ...page.items.map((job) => {
                const error = job.error as { code?: string; message?: string } | undefined;
                return [
                  String(job.jobId),
                  String(job.type),
                  owners.get(String(job.ownerId)) ?? String(job.ownerId),
                  String(job.updatedAt),
                  error ? `${error.code}: ${error.message}` : '',
                ];
              }),
            ]),
          );
          if (page.nextCursor) context.note(`more: --cursor ${page.nextCursor}`);
        } finally {
          store.destroy();
        }
      }),
    );

  admin
    .command('gallery')
    .description('The public gallery as a whole')
    .command('upgrade')
    .description(
      'Bring every shared image up to date: search by word beginnings and style, and a place in the popular listing (images shared before likes are ranked as shared at their last change); safe to run again',
    )
    .action(
      action<[]>(deps, async (context) => {
        const store = await storeOf(context);
        try {
          const done = await store.upgradeGallery((sofar) =>
            context.note(`${sofar.images} shared images brought up to date`),
          );
          if (context.json) return context.printJson(done);
          context.print(
            `${done.images} shared images brought up to date; ${done.ranked} of them newly ranked by likes.`,
          );
        } finally {
          store.destroy();
        }
      }),
    );

  admin
    .command('stats')
    .description('Users, images, jobs by state and characters in the deployment')
    .action(
      action<[]>(deps, async (context) => {
        const store = await storeOf(context);
        try {
          const stats = await store.stats();
          if (context.json) return context.printJson(stats);
          context.print(
            table([
              ['WHAT', 'COUNT'],
              ['users', String(stats.users)],
              ['images (ready)', String(stats.images)],
              ...Object.entries(stats.jobs).map(([status, count]) => [`jobs ${status}`, String(count)]),
              ['characters', String(stats.characters)],
            ]),
          );
        } finally {
          store.destroy();
        }
      }),
    );

  admin
    .command('profiles')
    .description('Profiles: `backfill` lists on their owners’ profiles the images shared before profiles did')
    .argument('<action>', 'backfill', oneOf(['backfill'] as const))
    .action(
      action<[string]>(deps, async (context) => {
        const store = await storeOf(context);
        try {
          const done = await store.backfillProfiles((progress) =>
            context.note(`${progress.seen} shared images looked at, ${progress.added} added to profiles`),
          );
          if (context.json) return context.printJson(done);
          context.print(`${done.added} of ${done.seen} shared images added to their owners’ profiles.`);
        } finally {
          store.destroy();
        }
      }),
    );

  const adminCharacters = admin.command('characters').description('Characters of every user');
  adminCharacters
    .command('list')
    .description('Characters of every user, newest first')
    .option('--limit <n>', 'characters per page (1–100)', integer(1, 100), 50)
    .option('--cursor <cursor>', 'the page after this cursor (printed after a full page)')
    .action(
      action<[], { limit: number; cursor?: string }>(deps, async (context, _args, options) => {
        const store = await storeOf(context);
        try {
          const page = await store.characters(options.limit, options.cursor);
          if (context.json) return context.printJson(page);
          context.print(
            table([
              ['CHARACTER', 'NAME', 'OWNER', 'PORTRAIT', 'CREATED'],
              ...page.items.map((character) =>
                ['characterId', 'name', 'ownerId', 'portraitStatus', 'createdAt'].map((key) =>
                  String(character[key] ?? ''),
                ),
              ),
            ]),
          );
          if (page.nextCursor) context.note(`more: --cursor ${page.nextCursor}`);
        } finally {
          store.destroy();
        }
      }),
    );
  adminCharacters
    .command('delete')
    .description('Delete any user’s character and its portraits')
    .argument('<characterId>')
    .option('--yes', 'do not ask for confirmation')
    .action(
      action<[string], { yes?: boolean }>(deps, async (context, [characterId], options) => {
        const store = await storeOf(context);
        try {
          const character = await store.character(characterId);
          if (!character)
            throw new CliError(`No character ${characterId} in ${(await context.deployment()).description}.`);
          if (!options.yes) {
            if (!context.io.stdin.isTTY)
              throw new CliError('Deleting another user’s character needs confirmation: add --yes.', 2);
            const answer = await ask(
              context.io,
              `Delete ${character.name} (${characterId}) of user ${character.ownerId}, with its portraits? [y/N] `,
            );
            if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Nothing deleted.');
          }
          await store.deleteCharacter(character.ownerId, characterId);
          context.note(`Deleted ${characterId} (${character.name}) of user ${character.ownerId}.`);
        } finally {
          store.destroy();
        }
      }),
    );
}
