import WebSocket from 'ws';
import type { JobEventMessage } from '../shared/schemas/live.ts';
import type { ApiClient } from './http-client.ts';

/** Job changes from the live-updates socket (`liveSocketPath`), as they arrive. */
export interface JobFeed {
  /**
   * The first change of `jobId` that `done` accepts; undefined if the socket closes first
   * (the caller then polls).
   */
  next(jobId: string, done: (event: JobEventMessage) => boolean): Promise<JobEventMessage | undefined>;
  close(): void;
}

/** Opens the socket with a single-use ticket; undefined when it cannot be opened (the caller polls). */
export async function openJobFeed(api: ApiClient): Promise<JobFeed | undefined> {
  let ticket: string;
  try {
    ({ ticket } = await api.call('createLiveTicket'));
  } catch {
    return undefined;
  }
  const socket = new WebSocket(api.liveSocketUrl(ticket));
  const events: JobEventMessage[] = [];
  let open = true;
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    try {
      const event = JSON.parse(String(data)) as JobEventMessage;
      if (event.type === 'job') events.push(event);
    } catch {
      return;
    }
    for (const wake of [...waiters]) wake();
  });
  const opened = await new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('unexpected-response', () => resolve(false));
    socket.once('error', () => resolve(false));
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    open = false;
    for (const wake of [...waiters]) wake();
  });
  if (!opened) {
    socket.terminate();
    return undefined;
  }
  return {
    next: (jobId, done) =>
      new Promise((resolve) => {
        const check = () => {
          const found = events.find((event) => event.jobId === jobId && done(event));
          if (!found && open) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
    close: () => socket.close(1000),
  };
}
