import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ageBracket, genderKey } from '../domain/characters/characters.ts';
import type { CharacterCounters, CharacterRecord } from '../domain/characters/ports.ts';
import type { CharacterStore } from '../domain/ports.ts';
import { ConflictError } from '../errors.ts';
import { globalCount } from './global-stats.ts';
import { keys, operatorIndex, ownerIndex } from './table-keys.ts';
import { transactWrite } from './transact.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const itemKeys = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi3pk', 'gsi3sk'];

function toCharacter(item: Record<string, unknown>): CharacterRecord {
  const character = { ...item };
  for (const key of itemKeys) delete character[key];
  return character as unknown as CharacterRecord;
}

const genderCounter = (character: CharacterRecord) => `gender:${genderKey(character.gender)}`;
const ageCounter = (character: CharacterRecord) => `age:${ageBracket(character.age)}`;
const hasPortrait = (character: CharacterRecord) => (character.portraitImageId ? 1 : 0);

/**
 * Characters in the single table, with the owner's statistics kept as counters beside
 * them (one item, `STATS#CHARACTERS`), changed in the same transaction as each character.
 */
export function characterRepository(db: DynamoDBDocumentClient, tableName: string): CharacterStore {
  /** ADD the given amounts to the owner's counters (amounts of 0 are left out). */
  function countersUpdate(ownerId: string, amounts: Record<string, number>): TransactItem | undefined {
    const entries = Object.entries(amounts).filter(([, amount]) => amount !== 0);
    if (!entries.length) return undefined;
    return {
      Update: {
        TableName: tableName,
        Key: keys.characterStats(ownerId),
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, amount], i) => [`:c${i}`, amount])),
      },
    };
  }

  function merge(...amounts: [string, number][]): Record<string, number> {
    const total: Record<string, number> = {};
    for (const [name, amount] of amounts) total[name] = (total[name] ?? 0) + amount;
    return total;
  }

  const item = (character: CharacterRecord) => ({
    ...keys.character(character.characterId),
    ...character,
    gsi1pk: ownerIndex.characters(character.ownerId),
    gsi1sk: character.characterId,
    // Every user's characters, for operators.
    gsi3pk: operatorIndex.characters,
    gsi3sk: character.characterId,
  });

  async function transact(items: (TransactItem | undefined)[]) {
    try {
      await transactWrite(db, { TransactItems: items.filter((i): i is TransactItem => Boolean(i)) });
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError('The character changed meanwhile; read it again and retry.');
      }
      throw error;
    }
  }

  async function get(characterId: string) {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.character(characterId), ConsistentRead: true }),
    );
    return Item ? toCharacter(Item) : undefined;
  }

  return {
    get,
    async create(character) {
      await transact([
        {
          Put: {
            TableName: tableName,
            Item: item(character),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        countersUpdate(
          character.ownerId,
          merge(
            ['total', 1],
            [genderCounter(character), 1],
            [ageCounter(character), 1],
            ['withPortrait', hasPortrait(character)],
          ),
        ),
        globalCount(tableName, { characters: 1 }),
      ]);
    },
    async listByOwner(ownerId, { limit, startKey }) {
      const { Items, LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byOwner',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': ownerIndex.characters(ownerId) },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        items: (Items ?? []).map(toCharacter),
        ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey } : {}),
      };
    },
    async replace(before, after) {
      // Only the attributes are written, so a portrait finishing meanwhile is kept;
      // the condition on gender and age keeps the statistics exact under concurrent changes.
      const fixed = new Set([
        'characterId',
        'ownerId',
        'createdAt',
        'portraitImageId',
        'portraitError',
        'portraitStatus',
        'portraitJobId',
      ]);
      const names: Record<string, string> = { '#gender': 'gender', '#age': 'age' };
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      const removes: string[] = [];
      const set = (name: string, value: unknown) => {
        names[`#${name}`] = name;
        values[`:${name}`] = value;
        sets.push(`#${name} = :${name}`);
      };
      for (const [name, value] of Object.entries(after)) if (!fixed.has(name)) set(name, value);
      for (const name of Object.keys(before)) {
        if (!fixed.has(name) && !(name in after)) {
          names[`#${name}`] = name;
          removes.push(`#${name}`);
        }
      }
      const same = (field: 'gender' | 'age') => {
        if (before[field] === undefined) return `attribute_not_exists(#${field})`;
        values[`:was_${field}`] = before[field];
        return `#${field} = :was_${field}`;
      };
      await transact([
        {
          Update: {
            TableName: tableName,
            Key: keys.character(before.characterId),
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: `attribute_exists(pk) AND ${same('gender')} AND ${same('age')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        countersUpdate(
          after.ownerId,
          merge(
            [genderCounter(before), -1],
            [genderCounter(after), 1],
            [ageCounter(before), -1],
            [ageCounter(after), 1],
          ),
        ),
      ]);
    },
    async claimPortrait(characterId, jobId) {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.character(characterId),
          UpdateExpression: 'SET portraitJobId = :job, portraitStatus = :queued REMOVE portraitError',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':job': jobId, ':queued': 'QUEUED' },
        }),
      );
    },
    async delete(character) {
      await transact([
        {
          Delete: {
            TableName: tableName,
            Key: keys.character(character.characterId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        countersUpdate(
          character.ownerId,
          merge(
            ['total', -1],
            [genderCounter(character), -1],
            [ageCounter(character), -1],
            ['withPortrait', -hasPortrait(character)],
          ),
        ),
        globalCount(tableName, { characters: -1 }),
      ]);
    },
    async counters(ownerId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.characterStats(ownerId) }),
      );
      const counters: CharacterCounters = { total: 0, withPortrait: 0, byGender: {}, byAgeBracket: {} };
      const result = {
        ...counters,
        byGender: { ...counters.byGender },
        byAgeBracket: { ...counters.byAgeBracket },
      };
      for (const [name, value] of Object.entries(Item ?? {})) {
        if (typeof value !== 'number' || value <= 0) continue;
        if (name === 'total' || name === 'withPortrait') result[name] = value;
        else if (name.startsWith('gender:')) result.byGender[name.slice(7)] = value;
        else if (name.startsWith('age:')) result.byAgeBracket[name.slice(4)] = value;
      }
      return result;
    },
    async portraitProgress(characterId, jobId, change) {
      const character = await get(characterId);
      if (!character || character.portraitJobId !== jobId) return { applied: false };
      const onlyThisJob = { ConditionExpression: 'portraitJobId = :job', ':job': jobId };
      try {
        if (change.status === 'READY') {
          const first = !character.portraitImageId;
          await transactWrite(db, {
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.character(characterId),
                  UpdateExpression:
                    'SET portraitStatus = :ready, portraitImageId = :image REMOVE portraitError',
                  ConditionExpression: onlyThisJob.ConditionExpression,
                  ExpressionAttributeValues: { ':ready': 'READY', ':image': change.imageId, ':job': jobId },
                },
              },
              ...(first ? [countersUpdate(character.ownerId, { withPortrait: 1 })!] : []),
            ],
          });
          return { applied: true, previousImageId: character.portraitImageId };
        }
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.character(characterId),
            UpdateExpression:
              change.status === 'FAILED'
                ? 'SET portraitStatus = :status, portraitError = :error'
                : 'SET portraitStatus = :status',
            ConditionExpression: `${onlyThisJob.ConditionExpression} AND portraitStatus <> :ready`,
            ExpressionAttributeValues: {
              ':status': change.status,
              ':job': jobId,
              ':ready': 'READY',
              ...(change.status === 'FAILED' ? { ':error': change.error } : {}),
            },
          }),
        );
        return { applied: true };
      } catch (error) {
        // A newer job took over, or the character went, between the read and the write.
        if (
          error instanceof ConditionalCheckFailedException ||
          error instanceof TransactionCanceledException
        ) {
          return { applied: false };
        }
        throw error;
      }
    },
  };
}
