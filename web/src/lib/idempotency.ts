/**
 * Paid work is sent with an Idempotency-Key. The same request sent again after a failure
 * (a lost answer, a timeout) reuses its key, so the API queues the work once; once an
 * answer arrives the key is dropped, so asking again on purpose starts new work.
 */
const pending = new Map<string, string>();

export function idempotencyKey(route: string, body: unknown): { key: string; settle: () => void } {
  const fingerprint = `${route} ${JSON.stringify(body)}`;
  let key = pending.get(fingerprint);
  if (!key) {
    key = crypto.randomUUID();
    pending.set(fingerprint, key);
  }
  return { key, settle: () => pending.delete(fingerprint) };
}
