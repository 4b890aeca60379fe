import { liveSocketPath } from '../../../shared/http/operations.ts';
import type { JobEventMessage } from '../../../shared/schemas/live.ts';
import { call } from './session.ts';

/**
 * The live-updates socket (`liveSocketPath`): opened with a single-use ticket while a page that
 * shows job progress is mounted, it carries each status change of this user's jobs. The
 * pages poll instead whenever it is not open (see useJob).
 */
type State = 'closed' | 'connecting' | 'open';

let state: State = 'closed';
let socket: WebSocket | undefined;
let users = 0;
const latest = new Map<string, JobEventMessage>();
/** Jobs accepted while the socket was open: every change of theirs reaches it. */
const acceptedLive = new Set<string>();
const eventListeners = new Set<(event: JobEventMessage) => void>();
const closeListeners = new Set<() => void>();
const openListeners = new Set<() => void>();

/** A socket that closes (API Gateway ends idle ones) is opened again while a page holds it, less often each time it fails. */
const firstRetryMs = 2_000;
const maxRetryMs = 60_000;
let retryMs = firstRetryMs;
let retry: ReturnType<typeof setTimeout> | undefined;

function closed() {
  state = 'closed';
  socket = undefined;
  for (const listener of [...closeListeners]) listener();
  clearTimeout(retry);
  if (users > 0) {
    retry = setTimeout(() => {
      if (users > 0 && state === 'closed') void connect();
    }, retryMs);
    retryMs = Math.min(maxRetryMs, retryMs * 2);
  }
}

async function connect() {
  state = 'connecting';
  let ticket: string;
  try {
    ({ ticket } = await call('createLiveTicket'));
  } catch {
    closed();
    return;
  }
  if (users === 0) {
    closed();
    return;
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const opened = new WebSocket(
    `${scheme}://${location.host}${liveSocketPath}?ticket=${encodeURIComponent(ticket)}`,
  );
  socket = opened;
  opened.addEventListener('open', () => {
    if (socket !== opened) return;
    state = 'open';
    retryMs = firstRetryMs;
    for (const listener of [...openListeners]) listener();
  });
  opened.addEventListener('message', (message) => {
    let event: JobEventMessage;
    try {
      event = JSON.parse(String(message.data));
    } catch {
      return;
    }
    if (event.type !== 'job') return;
    latest.set(event.jobId, event);
    for (const listener of [...eventListeners]) listener(event);
  });
  opened.addEventListener('close', () => {
    if (socket === opened) closed();
  });
}

/** A page that lets go of the socket and the next that takes it (a new route) share it. */
const lingerMs = 5_000;
let closing: ReturnType<typeof setTimeout> | undefined;

/** Keeps the socket open while at least one caller holds it; answers the release. */
export function holdLiveUpdates(): () => void {
  users += 1;
  clearTimeout(closing);
  if (state === 'closed') void connect();
  return () => {
    users -= 1;
    if (users > 0) return;
    closing = setTimeout(() => {
      clearTimeout(retry);
      if (users > 0 || !socket) return;
      const open = socket;
      closed();
      open.close(1000);
    }, lingerMs);
  };
}

export const liveUpdatesOpen = () => state === 'open';
export const liveUpdatesConnecting = () => state === 'connecting';

/** Whether every change of this job reaches the socket (it was accepted while the socket was open). */
export const followsLive = (jobId: string) => acceptedLive.has(jobId) && liveUpdatesOpen();

/** Call as a job is sent: answers what to call with its id once it is accepted. */
export function acceptingJob(): (jobId: string) => void {
  const wasOpen = liveUpdatesOpen();
  return (jobId) => {
    if (wasOpen && liveUpdatesOpen()) acceptedLive.add(jobId);
  };
}

export const latestJobEvent = (jobId: string) => latest.get(jobId);

export function onJobEvent(listener: (event: JobEventMessage) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

export function onLiveOpen(listener: () => void): () => void {
  openListeners.add(listener);
  return () => openListeners.delete(listener);
}

export function onLiveClosed(listener: () => void): () => void {
  closeListeners.add(listener);
  return () => closeListeners.delete(listener);
}
