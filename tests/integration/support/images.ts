import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { RunningLocalStack } from '../../../scripts/local-stack.ts';
import type { Json } from '../../support/json.ts';
import type { apiClient } from './api.ts';

type Api = ReturnType<typeof apiClient>;

/** Polls an image until `done` says so; answers its last state. */
export async function waitForImage(
  api: Api,
  imageId: string,
  token: string,
  done: (image: Json) => boolean,
  timeoutMs = 60_000,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await api.call('GET', `/api/images/${imageId}`, { token });
    if (answer.status === 200 && done(answer.json)) return answer.json;
    if (Date.now() > deadline)
      throw new Error(`image ${imageId} did not get there: ${JSON.stringify(answer.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What a browser does with an upload ticket: a multipart POST of every field, then the file. */
export async function postToStorage(
  ticket: { url: string; fields: Record<string, string> },
  file: Uint8Array,
  contentType: string,
  filename = 'photo.png',
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', new Blob([file], { type: contentType }), filename);
  return fetch(ticket.url, { method: 'POST', body: form });
}

/** A multipart form of text fields and files, as `POST /api/images` and `/api/edits` take it. */
export function formOf(
  fields: Record<string, string>,
  files: Record<string, { bytes: Uint8Array; type: string; name: string }>,
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, file] of Object.entries(files))
    form.append(name, new Blob([file.bytes], { type: file.type }), file.name);
  return form;
}

/** The bytes behind a URL the API answered (a signed S3 URL, or the local CDN). */
export async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Every key of the image bucket under these prefixes. */
export async function objectKeys(stack: RunningLocalStack, ...prefixes: string[]): Promise<string[]> {
  const s3 = new S3Client({ region: stack.stack.region, forcePathStyle: true });
  try {
    const keys: string[] = [];
    for (const prefix of prefixes) {
      const { Contents } = await s3.send(
        new ListObjectsV2Command({ Bucket: stack.stack.imageBucket, Prefix: prefix }),
      );
      keys.push(...(Contents ?? []).map((object) => object.Key!));
    }
    return keys;
  } finally {
    s3.destroy();
  }
}
