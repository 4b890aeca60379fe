import * as z from 'zod/mini';

const S3Notification = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({ object: z.object({ key: z.string() }) }),
    }),
  ),
});

/**
 * The keys of the objects an S3 event notification (a message body on SQS) announces as
 * created: `[]` for the `s3:TestEvent` S3 sends when notifications are configured, and
 * undefined for a body that is no S3 notification at all. Keys arrive URL-encoded, with
 * spaces as `+`.
 */
export function createdObjectKeys(body: string): string[] | undefined {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return undefined;
  }
  if ((message as { Event?: unknown } | null)?.Event === 's3:TestEvent') return [];
  const parsed = S3Notification.safeParse(message);
  if (!parsed.success) return undefined;
  return parsed.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated')).map((record) =>
    decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
  );
}
