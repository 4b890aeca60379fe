import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { imageRepository } from '../../shared/adapters/image-repository.ts';
import { type DeleteImageDeps, deleteImage } from '../../shared/domain/images/delete-image.ts';
import type { ImageRecord } from '../../shared/domain/images/image.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import { fixedClock, memoryImageStore, memoryStorage } from './support/memory-ports.ts';

const edited: ImageRecord = {
  imageId: 'IMG1',
  ownerId: 'user-1',
  ownerName: 'Ada',
  kind: 'edited',
  status: 'READY',
  descriptionStatus: 'NONE',
  isPublic: true,
  parentImageId: 'SRC',
  width: 10,
  height: 10,
  contentType: 'image/png',
  originalKey: 'images/IMG1/original.png',
  thumbnailKey: 'images/IMG1/thumbnail.webp',
  sourceKey: 'jobs/JOB1/source.png',
  maskKey: 'jobs/JOB1/mask.png',
  commentCount: 2,
  createdAt: '2026-11-22T08:00:00.000Z',
  updatedAt: '2026-11-22T08:00:00.000Z',
};

let images: ReturnType<typeof memoryImageStore>;
let storage: ReturnType<typeof memoryStorage>;
let calls: string[];
let failObjectDelete: boolean;
let deps: DeleteImageDeps;

beforeEach(async () => {
  images = memoryImageStore();
  storage = memoryStorage();
  calls = [];
  failObjectDelete = false;
  images.images.set('IMG1', edited);
  images.comments.set('IMG1', ['COMMENT#1', 'COMMENT#2']);
  for (const key of [
    'images/IMG1/original.png',
    'images/IMG1/thumbnail.webp',
    'jobs/JOB1/source.png',
    'jobs/JOB1/mask.png',
    'images/OTHER/original.png',
  ]) {
    await storage.storage.put(key, new Uint8Array([1]), 'image/png');
  }
  deps = {
    images: {
      ...images.store,
      markDeleting: async (...args) => {
        calls.push('markDeleting');
        return images.store.markDeleting(...args);
      },
      deleteAll: async (...args) => {
        calls.push('deleteAll');
        return images.store.deleteAll(...args);
      },
    },
    storage: {
      ...storage.storage,
      delete: async (keys) => {
        calls.push(`delete ${keys.join(' ')}`);
        if (failObjectDelete) throw new Error('S3 is down');
        return storage.storage.delete(keys);
      },
    },
    index: {
      set: async (imageId, words, previous) => {
        calls.push(`index ${imageId} [${words.join(' ')}] was [${previous.join(' ')}]`);
      },
      search: async () => ({ items: [] }),
    },
    cache: {
      invalidate: async (paths) => {
        calls.push(`invalidate ${paths.join(' ')}`);
      },
    },
    clock: fixedClock(),
  };
});

describe('deleteImage', () => {
  it('marks the image DELETING, then removes every object it owns, then every item of it', async () => {
    await deleteImage(deps, 'user-1', 'IMG1');
    expect(calls).toEqual([
      'markDeleting',
      'delete images/IMG1/original.png images/IMG1/thumbnail.webp jobs/JOB1/source.png jobs/JOB1/mask.png img/IMG1/original.png img/IMG1/thumbnail.webp',
      'invalidate /img/IMG1/original.png /img/IMG1/thumbnail.webp',
      'deleteAll',
    ]);
    expect([...storage.objects.keys()]).toEqual(['images/OTHER/original.png']);
    expect(images.images.has('IMG1')).toBe(false);
    expect(images.comments.has('IMG1')).toBe(false);
  });

  it('has the CDN forget a shared image’s public copies once they are gone', async () => {
    images.images.set('IMG1', { ...edited, isPublic: true, publicToken: 'tok' });
    await deleteImage(deps, 'user-1', 'IMG1');
    expect(calls).toEqual([
      'markDeleting',
      'delete images/IMG1/original.png images/IMG1/thumbnail.webp jobs/JOB1/source.png jobs/JOB1/mask.png img/tok/original.png img/tok/thumbnail.webp',
      'invalidate /img/tok/original.png /img/tok/thumbnail.webp',
      'deleteAll',
    ]);
  });

  it('removes the viewing copy and its public copy too, and has the CDN forget all three paths', async () => {
    images.images.set('IMG1', {
      ...edited,
      isPublic: true,
      publicToken: 'tok',
      displayKey: 'images/IMG1/display.webp',
    });
    await deleteImage(deps, 'user-1', 'IMG1');
    expect(calls).toEqual([
      'markDeleting',
      'delete images/IMG1/original.png images/IMG1/thumbnail.webp images/IMG1/display.webp jobs/JOB1/source.png jobs/JOB1/mask.png img/tok/original.png img/tok/thumbnail.webp img/tok/display.webp',
      'invalidate /img/tok/original.png /img/tok/thumbnail.webp /img/tok/display.webp',
      'deleteAll',
    ]);
  });

  it('leaves a DELETING image that answers 404 when it fails half-way, and a retry finishes', async () => {
    failObjectDelete = true;
    await expect(deleteImage(deps, 'user-1', 'IMG1')).rejects.toThrow('S3 is down');
    expect(images.images.get('IMG1')!.status).toBe('DELETING');
    expect(images.comments.has('IMG1')).toBe(true);

    failObjectDelete = false;
    calls = [];
    await deleteImage(deps, 'user-1', 'IMG1');
    expect(calls[0]).toMatch(/^delete /);
    expect(images.images.has('IMG1')).toBe(false);
    expect(storage.objects.size).toBe(1);
  });

  it('answers 404 for a missing image, and 403 for someone else’s shared one, touching nothing', async () => {
    const status = (callerId: string, imageId: string) =>
      deleteImage(deps, callerId, imageId).catch((error: unknown) => httpErrorOf(error)?.status);
    expect(await status('user-1', 'NOPE')).toBe(404);
    expect(await status('user-2', 'IMG1')).toBe(403);
    images.images.set('IMG1', { ...edited, isPublic: false });
    expect(await status('user-2', 'IMG1')).toBe(404);
    expect(calls).toEqual([]);
    expect(storage.objects.size).toBe(5);
  });
});

describe('the image repository’s part of a delete', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const repository = imageRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');

  beforeEach(() => dynamo.reset());

  it('takes the image out of every listing when marking it DELETING', async () => {
    // Not READY (the counted case is a transaction): the plain conditional update.
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'not ready',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    dynamo.on(UpdateCommand).resolves({});
    await repository.markDeleting('IMG1', 'now');
    const counted = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(counted[0]!.Update!.ConditionExpression).toBe('#status = :ready');
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'IMAGE#IMG1', sk: 'IMAGE' },
      UpdateExpression:
        'SET #status = :deleting, updatedAt = :now REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('deletes the whole partition page by page, 25 at a time, retrying unprocessed items, the image item last', async () => {
    const comments = Array.from({ length: 30 }, (_, i) => ({
      pk: 'IMAGE#IMG1',
      sk: `COMMENT#${String(i).padStart(2, '0')}`,
    }));
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [...comments.slice(0, 20)],
        LastEvaluatedKey: { pk: 'IMAGE#IMG1', sk: 'COMMENT#19' },
      })
      .resolvesOnce({ Items: [...comments.slice(20), { pk: 'IMAGE#IMG1', sk: 'IMAGE' }] });
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { table: [{ DeleteRequest: { Key: comments[3]! } }] } })
      .resolves({});
    dynamo.on(DeleteCommand).resolves({});

    await repository.deleteAll('IMG1');

    const query = dynamo.commandCalls(QueryCommand);
    expect(query[1]!.args[0].input.ExclusiveStartKey).toEqual({ pk: 'IMAGE#IMG1', sk: 'COMMENT#19' });
    const batches = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems!.table!);
    expect(batches.map((batch) => batch.length)).toEqual([25, 1, 5]);
    expect(batches[1]![0]!.DeleteRequest!.Key).toEqual(comments[3]);
    const deleted = batches.flat().map((request) => request.DeleteRequest!.Key!.sk);
    expect(deleted).not.toContain('IMAGE');
    expect(new Set(deleted).size).toBe(30);
    const last = dynamo.calls().at(-1)!;
    expect(last.args[0]).toBeInstanceOf(DeleteCommand);
    expect((last.args[0] as DeleteCommand).input.Key).toEqual({ pk: 'IMAGE#IMG1', sk: 'IMAGE' });
  });
});
