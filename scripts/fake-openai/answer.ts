import type { ServerResponse } from 'node:http';

/** What a request gets back; thrown as well, to answer early with an error. */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** An error in the shape of the real API's error bodies. */
export function apiError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
  headers: Record<string, string> = {},
): Answer {
  return new Answer(status, { error: { message, type, param, code } }, headers);
}

export const invalid = (message: string, param: string | null = null, code: string | null = null) =>
  apiError(400, message, 'invalid_request_error', param, code);

/** Writes the answer, unless the client went away or it was already answered. */
export function send(res: ServerResponse, answer: Answer, requestId: string): void {
  if (res.destroyed || res.headersSent) return;
  const payload = answer.status === 204 ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'x-request-id': requestId,
    'openai-version': '2020-10-01',
    ...answer.headers,
  });
  res.end(payload);
}
