import {
  type DynamoDBDocumentClient,
  GetCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Deployment-wide counters, for operators: one item, moved in the same transaction as what it counts. */
export const globalStatsKey = { pk: 'STATS', sk: 'GLOBAL' } as const;

/** A transaction item that ADDs the amounts (e.g. `{ users: 1 }`, `{ 'jobs:QUEUED': -1 }`) to the counters. */
export function globalCount(tableName: string, amounts: Record<string, number>): TransactItem {
  const entries = Object.entries(amounts);
  return {
    Update: {
      TableName: tableName,
      Key: globalStatsKey,
      UpdateExpression: `ADD ${entries.map((_, i) => `#g${i} :g${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#g${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, amount], i) => [`:g${i}`, amount])),
    },
  };
}

export interface GlobalStats {
  readonly users: number;
  readonly images: number;
  readonly characters: number;
  readonly jobs: Record<string, number>;
}

/** The counters: one GetItem, whatever the size of the table. */
export async function readGlobalStats(db: DynamoDBDocumentClient, tableName: string): Promise<GlobalStats> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: globalStatsKey, ConsistentRead: true }),
  );
  const number = (value: unknown) => (typeof value === 'number' ? value : 0);
  const jobs: Record<string, number> = {};
  for (const status of ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'])
    jobs[status] = number(Item?.[`jobs:${status}`]);
  return {
    users: number(Item?.users),
    images: number(Item?.images),
    characters: number(Item?.characters),
    jobs,
  };
}
