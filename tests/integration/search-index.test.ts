import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clientConfig } from '../../scripts/emulator/emulator.ts';
import { provision } from '../../scripts/emulator/provision.ts';
import { searchIndexRepository } from '../../shared/adapters/search-index-repository.ts';
import { searchWords } from '../../shared/domain/search/words.ts';
import { testAssembly, testPrefix, useTestEndpoints } from './support/stack.ts';

let db: DynamoDBDocumentClient;
let index: ReturnType<typeof searchIndexRepository>;

beforeAll(async () => {
  const endpoint = inject('awsEndpoint');
  useTestEndpoints();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  const { local: stack } = await provision({
    endpoint,
    assembly: testAssembly(),
    siteUrl: 'http://127.0.0.1:3000',
    prefix: testPrefix(),
    stackFile: false,
  });
  db = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig('DYNAMODB', endpoint, stack.region)));
  index = searchIndexRepository(db, stack.tableName);
});
afterAll(() => db?.destroy());

/** Image ids sort by time, as ULIDs do. */
const id = (n: number) => `IMG${String(n).padStart(4, '0')}`;

async function findAll(query: string, limit = 50) {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await index.search(searchWords(query), { limit, startKey });
    ids.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return ids;
}

describe('the search index', () => {
  it('finds images by every word of the query, newest first, whatever the case and accents', async () => {
    await index.set(id(1), searchWords('A café in Paris at night'), []);
    await index.set(id(2), searchWords('Night market in Taipei'), []);
    await index.set(id(3), searchWords('CAFÉ terrace at NIGHT, Paris'), []);
    expect(await findAll('paris cafe')).toEqual([id(3), id(1)]);
    expect(await findAll('NIGHT')).toEqual([id(3), id(2), id(1)]);
    expect(await findAll('night taipei paris')).toEqual([]);
    expect(await findAll('unheard')).toEqual([]);
  });

  it('pages through the rarest word’s entries with a cursor, missing and repeating nothing', async () => {
    // 30 images share "forest"; every third also has "owl".
    for (let n = 10; n < 40; n++)
      await index.set(id(n), searchWords(n % 3 === 0 ? 'forest owl' : 'forest deer'), []);
    const owls = Array.from({ length: 30 }, (_, i) => id(i + 10))
      .filter((_, i) => (i + 10) % 3 === 0)
      .reverse();
    expect(await findAll('owl forest', 3)).toEqual(owls);
    expect(await findAll('forest', 7)).toHaveLength(30);
  });

  it('forgets an image taken out of the index at once', async () => {
    await index.set(id(3), [], searchWords('CAFÉ terrace at NIGHT, Paris'));
    expect(await findAll('paris cafe')).toEqual([id(1)]);
  });

  it('finds an image by its new words, and no longer by the old, once its words change', async () => {
    await index.set(
      id(2),
      searchWords('Night market in Taipei, lanterns'),
      searchWords('Night market in Taipei'),
    );
    expect(await findAll('lanterns night')).toEqual([id(2)]);
    await index.set(
      id(2),
      searchWords('Morning market in Taipei'),
      searchWords('Night market in Taipei, lanterns'),
    );
    expect(await findAll('lanterns')).toEqual([]);
    expect(await findAll('morning taipei')).toEqual([id(2)]);
  });
});
