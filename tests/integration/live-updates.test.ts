import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { liveConnectionRepository } from '../../shared/adapters/live-connection-repository.ts';
import { apiClient } from './support/api.ts';
import { startTestStack } from './support/stack.ts';

let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;
let db: DynamoDBDocumentClient;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.url);
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: stack.stack.region }));
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  db?.destroy();
  await stack?.stop();
});

interface Listening {
  readonly socket: WebSocket;
  readonly messages: Record<string, unknown>[];
  /** Resolves with the first message that matches. */
  next(
    matches: (message: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

const socketUrl = (ticket?: string) =>
  `${stack.url.replace(/^http/, 'ws')}/api/live${ticket === undefined ? '' : `?ticket=${encodeURIComponent(ticket)}`}`;

async function ticketFor(token: string): Promise<string> {
  const answer = await api.call('POST', '/api/live/ticket', { token });
  expect(answer.status).toBe(201);
  return answer.json.ticket;
}

/** Opens a socket; rejects with the upgrade's status when it is refused. */
function connect(ticket?: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl(ticket));
    sockets.push(socket);
    const messages: Record<string, unknown>[] = [];
    const waiters: {
      matches: (message: Record<string, unknown>) => boolean;
      done: (m: Record<string, unknown>) => void;
    }[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.matches(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.done(message);
        }
      }
    });
    socket.on('unexpected-response', (_request, response) => {
      reject(
        Object.assign(new Error(`refused with ${response.statusCode}`), { status: response.statusCode }),
      );
    });
    socket.on('error', (error) => reject(error));
    socket.on('open', () =>
      resolve({
        socket,
        messages,
        next: (matches, timeoutMs = 60_000) =>
          new Promise((done, fail) => {
            const seen = messages.find(matches);
            if (seen) return done(seen);
            const timer = setTimeout(
              () => fail(new Error(`no such message in ${JSON.stringify(messages)}`)),
              timeoutMs,
            );
            waiters.push({
              matches,
              done: (message) => {
                clearTimeout(timer);
                done(message);
              },
            });
          }),
      }),
    );
  });
}

async function refusal(ticket?: string): Promise<number> {
  try {
    await connect(ticket);
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
  return 101;
}

async function generate(token: string, prompt: string): Promise<string> {
  const answer = await api.call('POST', '/api/generations', { token, body: { prompt, n: 1 } });
  expect(answer.status).toBe(202);
  return answer.json.jobId;
}

async function connectionItems(userId: string) {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: stack.stack.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':prefix': 'CONNECTION#' },
    }),
  );
  return Items ?? [];
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('live job updates over the WebSocket', () => {
  it('answers a ticket with 201, single use and valid 60 s', async () => {
    const user = await api.newUser('ticket-holder@example.com');
    const before = Date.now();
    const answer = await api.call('POST', '/api/live/ticket', { token: user.token });
    const after = Date.now();
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({ ticket: expect.any(String), expiresAt: expect.any(String) });
    // Issued at some moment between the two, whole seconds, for 60 s.
    const expiresAt = Date.parse(answer.json.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 59_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 60_000);
    expect((await api.call('POST', '/api/live/ticket', {})).status).toBe(401);
  });

  it("tells a generation's progress in order, QUEUED, RUNNING, SUCCEEDED, and nothing to another user", async () => {
    const owner = await api.newUser('live-owner@example.com');
    const other = await api.newUser('live-other@example.com');
    const ownerSocket = await connect(await ticketFor(owner.token));
    const otherSocket = await connect(await ticketFor(other.token));

    const jobId = await generate(owner.token, 'a kite over the dunes');
    const done = await ownerSocket.next(
      (message) => message.jobId === jobId && message.status === 'SUCCEEDED',
    );
    const ofJob = ownerSocket.messages.filter((message) => message.jobId === jobId);
    expect(ofJob.map((message) => message.status)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    for (const message of ofJob) {
      expect(message).toMatchObject({
        type: 'job',
        jobId,
        jobType: 'generation',
        updatedAt: expect.any(String),
      });
    }
    const job = (await api.call('GET', `/api/jobs/${jobId}`, { token: owner.token })).json;
    expect(done.imageIds).toEqual(job.imageIds);
    expect(done.updatedAt).toBe(job.updatedAt);

    // The other user's own job is told to them alone, after the owner's: had the owner's
    // reached them, it would have come first.
    const theirs = await generate(other.token, 'a lantern in fog');
    await otherSocket.next((message) => message.jobId === theirs && message.status === 'SUCCEEDED');
    expect(otherSocket.messages.every((message) => message.jobId === theirs)).toBe(true);
    expect(ownerSocket.messages.some((message) => message.jobId === theirs)).toBe(false);
  });

  it('refuses a missing, a used and an expired ticket with 401', async () => {
    const user = await api.newUser('live-tickets@example.com');
    expect(await refusal()).toBe(401);
    expect(await refusal('no-such-ticket')).toBe(401);

    const ticket = await ticketFor(user.token);
    await connect(ticket);
    expect(await refusal(ticket)).toBe(401);

    const expired = 'expired-ticket-for-the-test-0001';
    const repository = liveConnectionRepository(db, stack.stack.tableName);
    await repository.putTicket(expired, user.userId, Math.floor(Date.now() / 1000) - 1);
    expect(await refusal(expired)).toBe(401);
    // Refused, and left as it was: it was never spent.
    const { Item } = await db.send(
      new GetCommand({
        TableName: stack.stack.tableName,
        Key: { pk: `LIVETICKET#${expired}`, sk: 'TICKET' },
      }),
    );
    expect(Item?.userId).toBe(user.userId);
  });

  it('refuses the 11th socket of a user with 429, and lets one in again once another closes', async () => {
    const user = await api.newUser('live-many@example.com');
    const open: Listening[] = [];
    for (let index = 0; index < 10; index++) open.push(await connect(await ticketFor(user.token)));
    expect(await connectionItems(user.userId)).toHaveLength(10);
    expect(await refusal(await ticketFor(user.token))).toBe(429);
    expect(await connectionItems(user.userId)).toHaveLength(10);

    open[0]!.socket.close();
    await until(async () => (await connectionItems(user.userId)).length === 9);
    await connect(await ticketFor(user.token));
    expect(await connectionItems(user.userId)).toHaveLength(10);
  });

  it('forgets a connection when posting to it answers 410 Gone', async () => {
    const user = await api.newUser('live-gone@example.com');
    const repository = liveConnectionRepository(db, stack.stack.tableName);
    const now = Math.floor(Date.now() / 1000);
    const gone = 'GoneConnection0=';
    expect(
      await repository.addConnection(user.userId, gone, { nowSeconds: now, expiresAt: now + 600, max: 10 }),
    ).toBe(true);
    const live = await connect(await ticketFor(user.token));
    expect((await connectionItems(user.userId)).map((item) => item.connectionId)).toContain(gone);

    const jobId = await generate(user.token, 'a harbour at noon');
    await live.next((message) => message.jobId === jobId && message.status === 'SUCCEEDED');
    const left = (await connectionItems(user.userId)).map((item) => item.connectionId);
    expect(left).not.toContain(gone);
    expect(left).toHaveLength(1);
    const { Item } = await db.send(
      new GetCommand({
        TableName: stack.stack.tableName,
        Key: { pk: `CONNECTION#${gone}`, sk: 'CONNECTION' },
      }),
    );
    expect(Item).toBeUndefined();
  });
});
