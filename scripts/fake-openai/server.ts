import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { envFields } from '../../shared/config.ts';
import { Answer, apiError, send } from './answer.ts';
import { chatCompletions } from './chat-completions.ts';
import { createControls, type FakeCall } from './control.ts';
import { edits } from './edits.ts';
import { generations } from './generations.ts';
import { modelsAnswer } from './models.ts';
import { isAuthorised, readBody, type Work } from './request.ts';

export type { FakeCall } from './control.ts';

export interface FakeOpenAIOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Without it, one line per API call goes to stdout. */
  quiet?: boolean;
  /** Listed by `GET /v1/models`; requests may name any model. Defaults to the configured defaults. */
  models?: readonly string[];
}

export interface FakeOpenAI {
  /** Base URL for the `openai` client, ending in `/v1`. */
  url: string;
  port: number;
  close(): Promise<void>;
  calls(): FakeCall[];
  reset(): void;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const host = options.host ?? '127.0.0.1';
  const models = options.models ?? [
    envFields.IMAGE_MODEL.parse(undefined),
    envFields.VISION_MODEL.parse(undefined),
  ];
  /** Answers for requests that name no model, as the real API falls back to its own default. */
  const imageModel = models[0] ?? envFields.IMAGE_MODEL.parse(undefined);
  const controls = createControls();

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    call: FakeCall,
    requestId: string,
  ): Promise<Answer> {
    const method = req.method ?? 'GET';
    const path = call.endpoint;
    const control = controls.answer(method, path);
    if (control) return control;
    if (path.startsWith('/v1/')) controls.record(call);
    if (!isAuthorised(req)) {
      return apiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
        'invalid_api_key',
      );
    }
    const listed = modelsAnswer(method, path, models);
    if (listed) return listed;

    const handlers: Record<string, (body: Buffer) => Work | Promise<Work>> = {
      '/v1/images/generations': (body) => generations(body, imageModel),
      '/v1/images/edits': (body) => edits(req, body, imageModel),
      '/v1/chat/completions': chatCompletions,
    };
    const handler = method === 'POST' ? handlers[path] : undefined;
    if (!handler) return apiError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error');

    const work = await handler(await readBody(req));
    Object.assign(call, { model: work.model, prompt: work.prompt, size: work.size, n: work.n });
    return controls.run(work, res, requestId);
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    const requestId = `req_${randomBytes(16).toString('hex')}`;
    const call: FakeCall = {
      method: req.method ?? 'GET',
      endpoint: new URL(req.url ?? '/', 'http://fake.invalid').pathname,
      time: new Date(started).toISOString(),
      status: null,
    };
    route(req, res, call, requestId)
      .catch((error: unknown) => {
        if (error instanceof Answer) return error;
        if (res.destroyed) return new Answer(499, null);
        console.error('fake OpenAI provider: unexpected error', error);
        return apiError(500, 'The fake OpenAI provider failed unexpectedly.', 'server_error');
      })
      .then((answer) => {
        // A client that gave up (a timeout, an abort) gets nothing, as with the real API.
        const status = res.destroyed ? 499 : answer.status;
        call.status = status;
        send(res, answer, requestId);
        if (!options.quiet && call.endpoint.startsWith('/v1/')) {
          console.log(`${call.method} ${call.endpoint} ${status} ${Date.now() - started}ms`);
        }
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const reachable =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${reachable}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of the openai client and slow answers would hold close() open.
        server.closeAllConnections();
      }),
    calls: controls.calls,
    reset: controls.reset,
  };
}
