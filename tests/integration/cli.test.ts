import { execFile } from 'node:child_process';
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../scripts/emulator/emulator.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { keys } from '../../shared/adapters/table-keys.ts';
import { noisePng, solidImage } from '../support/images.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

const launcher = path.resolve(import.meta.dirname, '../../cli/easel.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The command line as a user runs it: a child process, its own config directory, the stack's endpoint. */
function cliFor(env: Record<string, string>) {
  return (...argv: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [launcher, ...argv],
        { env: { ...process.env, ...env }, timeout: 90_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
}

describe('easel, the user commands, against the local stack', () => {
  let stack: RunningLocalStack;
  let easel: ReturnType<typeof cliFor>;
  let configHome: string;
  const email = 'cli-user@example.com';
  const password = 'Correct-Horse-9';

  beforeAll(async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'easel-cli-'));
    const stackFile = path.join(work, 'stack.json');
    stack = await startTestStack({ stackFile });
    await apiClient(stack.url).newUser(email, password);
    configHome = path.join(work, 'config');
    easel = cliFor({ EASEL_ENDPOINT: stack.url, EASEL_LOCAL_STACK: stackFile, XDG_CONFIG_HOME: configHome });
  });

  afterAll(() => stack?.stop());

  it('logs in, keeps the login private, and knows who is logged in', async () => {
    const login = await easel('login', '--email', email, '--password', password);
    expect(login).toMatchObject({ code: 0 });
    expect((await stat(path.join(configHome, 'easel', 'sessions.json'))).mode & 0o777).toBe(0o600);
    const whoami = await easel('whoami', '--json');
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email, usage: { imagesToday: 0 } });
  });

  it('generates, waits, downloads PNG originals, lists, shares and finds them in the gallery', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'easel-out-'));
    const generate = await easel('generate', 'a lighthouse among quokkas', '-n', '2', '--wait', '--out', out);
    expect(generate.stderr).toBe('');
    expect(generate.code).toBe(0);
    const files = generate.stdout.trim().split('\n');
    expect(files).toHaveLength(2);
    expect((await readdir(out)).sort()).toEqual(files.map((file) => path.basename(file)).sort());
    for (const file of files) {
      expect((await stat(file)).size).toBeGreaterThan(0);
      expect((await sharp(file).metadata()).format).toBe('png');
    }
    const imageIds = files.map((file) => path.basename(file, '.png'));

    const images = await easel('images', '--json', '--kind', 'generated');
    expect(images.code).toBe(0);
    expect(
      JSON.parse(images.stdout)
        .items.map((image: { imageId: string }) => image.imageId)
        .sort(),
    ).toEqual([...imageIds].sort());

    const share = await easel('image', 'share', imageIds[0]!);
    expect(share).toMatchObject({ code: 0, stdout: `${imageIds[0]} is public\n` });

    const gallery = await easel('gallery', '--search', 'QUOKKAS lighthouse', '--json');
    expect(gallery.code).toBe(0);
    expect(JSON.parse(gallery.stdout).items.map((image: { imageId: string }) => image.imageId)).toEqual([
      imageIds[0],
    ]);
    const none = await easel('gallery', '--search', 'quokkas submarine', '--json');
    expect(JSON.parse(none.stdout).items).toEqual([]);

    // An edit with a mask: the mask goes up as a presigned POST, then the edit waits until it is processed.
    const { width, height } = await sharp(files[0]!).metadata();
    const mask = path.join(out, 'mask.png');
    await sharp({
      create: { width: width!, height: height!, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toFile(mask);
    const edited = await mkdtemp(path.join(tmpdir(), 'easel-edit-'));
    const edit = await easel(
      'edit',
      imageIds[1]!,
      'add a red hat',
      '--mask',
      mask,
      '--out',
      edited,
      '--json',
    );
    expect(edit.code).toBe(0);
    const job = JSON.parse(edit.stdout);
    expect(job).toMatchObject({ type: 'edit', status: 'SUCCEEDED' });
    expect(job.files).toHaveLength(1);
    expect((await sharp(job.files[0]).metadata()).format).toBe('png');
  });

  it('lists the styles, and takes a style by its name in any case or accent as well as by its id', async () => {
    const styles = await easel('styles');
    expect(styles.code).toBe(0);
    expect(styles.stdout).toMatch(/watercolor\s+Watercolour/);
    for (const given of ['watercolour', 'WATERCOLOR', 'Wätercolour', 'watercolor']) {
      const job = await easel('generate', `a harbour in ${given}`, '--style', given, '--wait', '--json');
      expect(job.code, job.stderr).toBe(0);
      const [imageId] = JSON.parse(job.stdout).imageIds;
      const shown = await easel('image', 'show', imageId, '--json');
      expect(shown.code, shown.stderr).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ imageId, style: 'watercolor' });
    }
    const unknown = await easel('generate', 'a harbour', '--style', 'crayon');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown style "crayon"');
  });

  it('shows an image with `image show`, as its help lists it', async () => {
    const help = await easel('image', '--help');
    expect(help.stdout).toMatch(/^\s+show\b/m);
    const [latest] = JSON.parse((await easel('images', '--json')).stdout).items;
    const shown = await easel('image', 'show', latest.imageId);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(latest.imageId);
  });

  it('likes and unlikes, lists my likes, and lists the gallery by likes and style', async () => {
    const job = await easel('generate', 'a puffin on a cliff', '--style', 'Anime', '--wait', '--json');
    expect(job.code, job.stderr).toBe(0);
    const [imageId] = JSON.parse(job.stdout).imageIds;
    expect((await easel('image', 'share', imageId)).code).toBe(0);

    const liked = await easel('like', imageId);
    expect(liked).toMatchObject({ code: 0, stdout: `${imageId}: liked (1 like)\n` });
    expect(JSON.parse((await easel('like', imageId, '--json')).stdout)).toEqual({
      imageId,
      liked: true,
      likeCount: 1,
    });
    const mine = await easel('likes', '--json');
    expect(JSON.parse(mine.stdout).items.map((image: { imageId: string }) => image.imageId)).toEqual([
      imageId,
    ]);
    expect((await easel('likes')).stdout).toMatch(new RegExp(`${imageId}.*\\b1\\b`));

    const popular = await easel(
      'gallery',
      '--sort',
      'popular',
      '--period',
      'week',
      '--style',
      'ANIME',
      '--json',
    );
    expect(popular.code, popular.stderr).toBe(0);
    expect(JSON.parse(popular.stdout).items[0]).toMatchObject({ imageId, likeCount: 1, style: 'anime' });
    const otherStyle = await easel('gallery', '--style', 'watercolour', '--json');
    expect(
      JSON.parse(otherStyle.stdout).items.map((image: { imageId: string }) => image.imageId),
    ).not.toContain(imageId);
    const unknown = await easel('gallery', '--style', 'crayon');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown style "crayon"');
    expect((await easel('gallery', '--sort', 'loudest')).code).toBe(2);

    expect(await easel('unlike', imageId)).toMatchObject({
      code: 0,
      stdout: `${imageId}: not liked (0 likes)\n`,
    });
    const none = await easel('likes');
    expect(none.stderr).toContain('You have not liked an image yet');
    expect((await easel('like', '01UNKNOWN0000000000000000A')).stderr).toContain('NOT_FOUND');
  });

  it('brings every shared image up to date for search and likes, as often as it is run', async () => {
    const first = await easel('admin', 'gallery', 'upgrade', '--json');
    expect(first.code, first.stderr).toBe(0);
    const done = JSON.parse(first.stdout);
    expect(done.images).toBeGreaterThan(0);
    // Images shared by this release are ranked already.
    expect(done.ranked).toBe(0);
    expect(JSON.parse((await easel('admin', 'gallery', 'upgrade', '--json')).stdout).images).toBe(
      done.images,
    );
  });

  it('downloads an image under the server’s file name, and shows a user’s profile with their public images', async () => {
    const [latest] = JSON.parse((await easel('images', '--json')).stdout).items;
    const titled = await easel('image', 'share', latest.imageId);
    expect(titled.code, titled.stderr).toBe(0);
    const out = await mkdtemp(path.join(tmpdir(), 'easel-download-'));
    const download = await easel('image', 'download', latest.imageId, '--out', out);
    expect(download.code, download.stderr).toBe(0);
    const expected = path.join(out, `${latest.prompt}.png`);
    expect(download.stdout.trim()).toBe(expected);
    expect((await sharp(expected).metadata()).format).toBe('png');

    const me = JSON.parse((await easel('whoami', '--json')).stdout);
    const profile = await easel('user', me.userId, '--json');
    expect(profile.code, profile.stderr).toBe(0);
    const shown = JSON.parse(profile.stdout);
    expect(shown).toMatchObject({ userId: me.userId, publicImageCount: expect.any(Number) });
    expect(shown.images.items.map((i: { imageId: string }) => i.imageId)).toContain(latest.imageId);
    const text = await easel('user', me.userId);
    expect(text.stdout).toMatch(/public images\s+\d+/);
    expect(text.stdout).toContain(latest.imageId);
    const unknown = await easel('user', 'nobody-at-all');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
  });

  it('says so when a gallery search finds nothing', async () => {
    const none = await easel('gallery', '--search', 'zebracorn');
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No shared image matches "zebracorn".');
  });

  it('creates a character and, with --wait, waits for its portrait', async () => {
    const created = await easel('characters', 'create', '--name', 'Ines Duarte', '--wait', '--json');
    expect(created.code, created.stderr).toBe(0);
    const character = JSON.parse(created.stdout);
    expect(character).toMatchObject({ name: 'Ines Duarte', portraitStatus: 'READY' });
    expect(character.urls.original).toMatch(/^http/);
  });

  it('uploads a file of up to 4 MB through the API and a larger one straight to storage, each with its title', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'easel-upload-'));
    const small = path.join(dir, 'small.png');
    const large = path.join(dir, 'large.png');
    await writeFile(small, await solidImage(40, 30, 'png'));
    await writeFile(large, await noisePng(5 * 1024 * 1024));

    const viaApi = await easel('upload', small, '--title', 'Small blue', '--wait', '--json');
    expect(viaApi).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(viaApi.stdout)).toMatchObject({
      status: 'READY',
      title: 'Small blue',
      width: 40,
      descriptionStatus: 'NONE',
    });

    const viaStorage = await easel('upload', large, '--title', 'Static', '--wait', '--json');
    expect(viaStorage.code).toBe(0);
    expect(viaStorage.stderr).toMatch(/large\.png is over 4 MB, so it goes straight to storage/);
    expect(JSON.parse(viaStorage.stdout)).toMatchObject({
      status: 'READY',
      title: 'Static',
      width: 1024,
      descriptionStatus: 'READY',
    });
  });

  it('exits 2 for a usage error and 1 for an API error, printing its code', async () => {
    const usage = await easel('generate', 'a cat', '--count', 'lots');
    expect(usage.code).toBe(2);

    const missing = await easel('image', 'get', 'no-such-image');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error: NOT_FOUND:');
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const invalid = await easel('generate', 'a cat', '--style', 'no-such-style');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/error: VALIDATION_FAILED: /);
  });

  it('with --json, prints each error as the API’s error object on stderr, with the same exit codes', async () => {
    const usage = await easel('generate', 'a cat', '--count', 'lots', '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr).error).toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('lots'),
    });

    const missing = await easel('image', 'get', 'no-such-image', '--json');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    const notFound = JSON.parse(missing.stderr);
    expect(notFound).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(notFound.requestId).toEqual(expect.any(String));

    const invalid = await easel('generate', 'a cat', '--style', 'no-such-style', '--json');
    expect(invalid.code).toBe(1);
    const validation = JSON.parse(invalid.stderr).error;
    expect(validation.code).toBe('VALIDATION_FAILED');
    expect(validation.details.map((detail: { field: string }) => detail.field)).toContain('style');
  });

  it('lists the accounts and disables one, whose login then fails with the API’s error', async () => {
    const list = await easel('admin', 'users', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).items).toContainEqual(expect.objectContaining({ email, enabled: true }));

    expect(await easel('admin', 'users', 'disable', email)).toMatchObject({ code: 0 });
    const refused = await easel('login', '--email', email, '--password', password);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: INVALID_CREDENTIALS: This account has been disabled');

    expect(await easel('admin', 'users', 'enable', email)).toMatchObject({ code: 0 });
    expect(await easel('login', '--email', email, '--password', password)).toMatchObject({ code: 0 });
  });

  it('lists every user’s failed jobs and characters for operators, and deletes a character after confirmation', async () => {
    const blocked = await easel('generate', 'a forbidden scene [fake:moderation]', '--wait');
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('MODERATION_BLOCKED');
    const mine = JSON.parse((await easel('jobs', '--status', 'FAILED', '--json')).stdout);
    const failedJobId = mine.items[0].jobId;

    const failed = await easel('admin', 'jobs', '--status', 'FAILED', '--json');
    expect(failed.code).toBe(0);
    expect(JSON.parse(failed.stdout).items).toContainEqual(
      expect.objectContaining({
        jobId: failedJobId,
        status: 'FAILED',
        error: expect.objectContaining({ code: 'MODERATION_BLOCKED' }),
      }),
    );
    const readable = await easel('admin', 'jobs', '--status', 'FAILED');
    expect(readable.stdout).toMatch(new RegExp(`${failedJobId}.*${email}`));
    expect((await easel('admin', 'jobs', '--status', 'QUEUED')).code).toBe(2);

    const created = await easel(
      'characters',
      'create',
      '--name',
      'Mira Okafor',
      '--eye-color',
      'Hazel',
      '--no-portrait',
      '--json',
    );
    expect(created.code).toBe(0);
    const character = JSON.parse(created.stdout);
    expect(character).toMatchObject({ name: 'Mira Okafor', eyeColor: 'Hazel', portraitStatus: 'NONE' });

    const all = await easel('admin', 'characters', 'list', '--json');
    expect(all.code).toBe(0);
    const listed = JSON.parse(all.stdout).items;
    expect(listed[0]).toMatchObject({ characterId: character.characterId, name: 'Mira Okafor' });
    expect(listed[0]).not.toHaveProperty('gsi3pk');

    const unconfirmed = await easel('admin', 'characters', 'delete', character.characterId);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(await easel('admin', 'characters', 'delete', character.characterId, '--yes')).toMatchObject({
      code: 0,
    });
    const gone = await easel('characters', 'show', character.characterId);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('error: NOT_FOUND:');
  });

  it('logs out: the stored login is gone and commands say how to log in', async () => {
    expect(await easel('logout')).toMatchObject({ code: 0 });
    const whoami = await easel('whoami');
    expect(whoami.code).toBe(1);
    expect(whoami.stderr).toContain('easel login');
    const script = await easel('whoami', '--json');
    expect(script.code).toBe(1);
    expect(JSON.parse(script.stderr).error).toMatchObject({
      code: 'FAILED',
      message: expect.stringContaining('easel login'),
    });
  });

  it('prints deployment-wide statistics from the counters', async () => {
    const stats = await easel('admin', 'stats', '--json');
    expect(stats.code).toBe(0);
    const counts = JSON.parse(stats.stdout);
    expect(counts.users).toBeGreaterThan(0);
    expect(counts.jobs.SUCCEEDED).toBeGreaterThan(0);
    expect(Object.keys(counts.jobs).sort()).toEqual(['FAILED', 'QUEUED', 'RUNNING', 'SUCCEEDED']);
    const text = await easel('admin', 'stats');
    expect(text.stdout).toMatch(/users\s+\d+/);
  });

  it('lists on their owners’ profiles the images shared before profiles did, once', async () => {
    // An image shared before profiles listed images has no item in its owner's partition.
    const [shared] = (await apiClient(stack.url).call('GET', '/api/gallery')).json.items;
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
    try {
      await db.send(
        new DeleteCommand({
          TableName: stack.stack.tableName,
          Key: keys.publicImage(shared.ownerId, shared.imageId),
        }),
      );
      await db.send(
        new UpdateCommand({
          TableName: stack.stack.tableName,
          Key: keys.profile(shared.ownerId),
          UpdateExpression: 'ADD publicImageCount :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        }),
      );
    } finally {
      db.destroy();
    }
    const before = JSON.parse((await easel('user', shared.ownerId, '--json')).stdout);
    expect(before.images.items.map((i: { imageId: string }) => i.imageId)).not.toContain(shared.imageId);

    const first = await easel('admin', 'profiles', 'backfill', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).added).toBe(1);
    const after = JSON.parse((await easel('user', shared.ownerId, '--json')).stdout);
    expect(after.images.items.map((i: { imageId: string }) => i.imageId)).toContain(shared.imageId);
    expect(after.publicImageCount).toBe(before.publicImageCount + 1);
    const again = JSON.parse((await easel('admin', 'profiles', 'backfill', '--json')).stdout);
    expect(again.added).toBe(0);
    expect(again.seen).toBeGreaterThan(0);
  });

  it('deletes the account only when asked to be sure, then forgets the login', async () => {
    expect(await easel('login', '--email', email, '--password', password)).toMatchObject({ code: 0 });
    const unconfirmed = await easel('account', 'delete');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect((await easel('whoami')).code).toBe(0);
    const deleted = await easel('account', 'delete', '--yes');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain('being deleted');
    const whoami = await easel('whoami');
    expect(whoami.code).toBe(1);
    expect(whoami.stderr).toContain('easel login');
  });
});

describe('easel admin dlq, against the local stack', () => {
  let stack: RunningLocalStack;
  let easel: ReturnType<typeof cliFor>;
  let sqs: SQSClient;

  beforeAll(async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'easel-cli-'));
    const stackFile = path.join(work, 'stack.json');
    // No queue polling: the dead-letter worker would otherwise take the message first.
    stack = await startTestStack({ stackFile, pollQueues: false });
    sqs = new SQSClient(clientConfig('SQS', stack.stack.endpoint, stack.stack.region));
    easel = cliFor({ EASEL_LOCAL_STACK: stackFile, XDG_CONFIG_HOME: path.join(work, 'config') });
  });

  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
  });

  async function depth(queueUrl: string) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages);
  }

  it('lists the messages in each dead-letter queue and moves them back to their queue', async () => {
    const body = JSON.stringify({ jobId: 'dead-letter-test', marker: Date.now() });
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.stack.jobsDlqUrl, MessageBody: body }));

    const list = await easel('admin', 'dlq', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ queue: 'jobs', messages: 1 }),
      expect.objectContaining({ queue: 'uploads', messages: 0 }),
      expect.objectContaining({ queue: 'accounts', messages: 0 }),
    ]);

    const redrive = await easel('admin', 'dlq', 'redrive', 'jobs');
    expect(redrive).toMatchObject({
      code: 0,
      stdout: 'Moved 1 message from the jobs dead-letter queue to jobs.\n',
    });
    expect(await depth(stack.stack.jobsDlqUrl)).toBe(0);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.stack.jobsQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages.map((message) => message.Body)).toEqual([body]);
  });
});
