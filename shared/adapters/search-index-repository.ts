import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SearchIndex } from '../domain/search/search-index.ts';
import { entryText, indexTerms, matchText, queryTerm } from '../domain/search/words.ts';
import { keys } from './table-keys.ts';

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Reads of the rarest word's entries one search may make before it answers a shorter page. */
const maxReadsPerPage = 5;

/** The entries an image with these words is indexed under: one per index term, each with the words as `text`. */
export function searchEntryItems(imageId: string, words: readonly string[]): Record<string, unknown>[] {
  const text = entryText(words);
  return indexTerms(words).map((term) => ({ ...keys.searchEntry(term, imageId), imageId, text }));
}

/**
 * The search index in the single table: `WORD#<term>` / `IMAGE#<imageId>` entries, one per
 * index term of the image (each word's beginnings of 3 to 8 letters, see `indexTerms`), that
 * carry the image's words as `text` (for filtering by the other words of a query), and a
 * `WORD#<term>` / `#COUNT` item per term that tells which word of a query is the rarest.
 */
export function searchIndexRepository(db: DynamoDBDocumentClient, tableName: string): SearchIndex {
  async function writeAll(requests: Record<string, unknown>[]) {
    for (const chunk of chunks(requests, 25)) {
      let pending: BatchWriteCommandOutput['UnprocessedItems'] = { [tableName]: chunk as never };
      while (pending?.[tableName]?.length) {
        const result: BatchWriteCommandOutput = await db.send(
          new BatchWriteCommand({ RequestItems: pending }),
        );
        pending = result.UnprocessedItems;
      }
    }
  }

  async function count(words: readonly string[], by: number) {
    for (const chunk of chunks(words, 100)) {
      await db.send(
        new TransactWriteCommand({
          TransactItems: chunk.map((word) => ({
            Update: {
              TableName: tableName,
              Key: keys.wordCount(word),
              UpdateExpression: 'ADD images :by',
              ExpressionAttributeValues: { ':by': by },
            },
          })),
        }),
      );
    }
  }

  async function counts(words: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    let pending: Record<string, unknown>[] | undefined = words.map(keys.wordCount);
    while (pending?.length) {
      const result: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
      );
      for (const item of result.Responses?.[tableName] ?? []) {
        found.set(String(item.pk).slice('WORD#'.length), Number(item.images ?? 0));
      }
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
    return found;
  }

  return {
    async set(imageId, words, previous) {
      const terms = indexTerms(words);
      const before = indexTerms(previous);
      const gone = before.filter((term) => !terms.includes(term));
      const added = terms.filter((term) => !before.includes(term));
      // Entries an earlier release made under whole words longer than the terms go.
      const older = previous.filter((word) => !terms.includes(word) && !before.includes(word));
      await writeAll([
        ...searchEntryItems(imageId, words).map((Item) => ({ PutRequest: { Item } })),
        ...[...gone, ...older].map((term) => ({ DeleteRequest: { Key: keys.searchEntry(term, imageId) } })),
      ]);
      await count(added, 1);
      await count(gone, -1);
    },
    async search(words, { limit, startKey }) {
      // Counts only choose the term to read; they never decide that nothing matches.
      const known = await counts([...new Set(words.map(queryTerm))]);
      const [rarest, ...others] = [...words].sort(
        (a, b) => (known.get(queryTerm(a)) ?? 0) - (known.get(queryTerm(b)) ?? 0),
      );
      // The rarest word's entries hold it already, unless it is longer than the terms go.
      const checked = [...(queryTerm(rarest!) === rarest ? [] : [rarest!]), ...others];
      const filter = checked.map((_, i) => `contains(#text, :w${i})`).join(' AND ');
      const items: string[] = [];
      let next = startKey;
      for (let reads = 0; reads < maxReadsPerPage && items.length < limit; reads++) {
        const result = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :image)',
            ...(checked.length
              ? { FilterExpression: filter, ExpressionAttributeNames: { '#text': 'text' } }
              : {}),
            ExpressionAttributeValues: {
              ':pk': keys.wordCount(queryTerm(rarest!)).pk,
              ':image': 'IMAGE#',
              ...Object.fromEntries(checked.map((word, i) => [`:w${i}`, matchText(word)])),
            },
            ProjectionExpression: 'imageId',
            ScanIndexForward: false,
            // Each read evaluates only as many entries as the page still needs, so the key
            // where it stops is exactly where the next page starts.
            Limit: limit - items.length,
            ExclusiveStartKey: next,
          }),
        );
        items.push(...(result.Items ?? []).map((item) => String(item.imageId)));
        next = result.LastEvaluatedKey;
        if (!next) break;
      }
      return { items, ...(next ? { lastKey: next } : {}) };
    },
  };
}
