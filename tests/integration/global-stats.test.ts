import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { readGlobalStats } from '../../shared/adapters/global-stats.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

async function stats() {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
  try {
    return await readGlobalStats(db, stack.stack.tableName);
  } finally {
    db.destroy();
  }
}

describe('deployment-wide counters', () => {
  it('count users, ready images, jobs by state and characters as they come and go', async () => {
    const ada = await api.newUser('counted-ada@example.com');
    const bo = await api.newUser('counted-bo@example.com');
    await api.call('GET', '/api/me', { token: ada.token });
    await api.call('GET', '/api/me', { token: bo.token });

    const made = await api.call('POST', '/api/generations', {
      token: ada.token,
      body: { prompt: 'two moons', n: 2 },
    });
    const job = await api.waitForJob(made.json.jobId, ada.token);
    const refused = await api.call('POST', '/api/generations', {
      token: bo.token,
      body: { prompt: 'nope [fake:moderation]' },
    });
    await api.waitForJob(refused.json.jobId, bo.token);
    await api.call('POST', '/api/characters', {
      token: bo.token,
      body: { name: 'Kit', generatePortrait: false },
    });
    const gone = await api.call('POST', '/api/characters', {
      token: bo.token,
      body: { name: 'Gone', generatePortrait: false },
    });
    await api.call('DELETE', `/api/characters/${gone.json.characterId}`, { token: bo.token });
    await api.call('DELETE', `/api/images/${job.imageIds[0]}`, { token: ada.token });

    expect(await stats()).toEqual({
      users: 2,
      images: 1,
      characters: 1,
      jobs: { QUEUED: 0, RUNNING: 0, SUCCEEDED: 1, FAILED: 1 },
    });
  });
});
