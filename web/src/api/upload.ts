import { uploads } from './endpoints.ts';
import { ApiError } from './errors.ts';
import type { UploadPurpose, UploadTicket } from './types.ts';

/**
 * Sends a file straight to S3 with the presigned POST of `POST /api/uploads`. It uses
 * XMLHttpRequest because fetch reports no upload progress.
 */
function postToBucket(
  ticket: UploadTicket,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
    // S3 reads the fields up to `file`, so the file goes last.
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', ticket.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      // S3 explains itself in XML: <Error><Code>EntityTooLarge</Code><Message>…</Message></Error>.
      const reason = /<Message>([^<]*)<\/Message>/.exec(request.responseText)?.[1];
      reject(
        new ApiError(
          request.status,
          'UPLOAD_FAILED',
          `The storage refused the file${reason ? `: ${reason}` : ` (status ${request.status})`}.`,
        ),
      );
    });
    request.addEventListener('error', () =>
      reject(new ApiError(0, 'NETWORK', 'The upload could not reach the storage.')),
    );
    request.addEventListener('abort', () => reject(new ApiError(0, 'ABORTED', 'The upload was cancelled.')));
    signal?.addEventListener('abort', () => request.abort());
    request.send(form);
  });
}

/** Asks the API for an upload slot, then sends the file to it; answers the slot. */
export async function uploadFile(
  file: Blob,
  purpose: UploadPurpose,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadTicket> {
  const ticket = await uploads.ticket({ contentType: file.type, contentLength: file.size, purpose });
  await postToBucket(ticket, file, onProgress, signal);
  return ticket;
}
