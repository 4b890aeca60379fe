import type { ServerResponse } from 'node:http';
import { Answer, apiError } from './answer.ts';
import type { Work } from './request.ts';

export interface FakeCall {
  method: string;
  /** Path of the request, e.g. `/v1/images/generations`. */
  endpoint: string;
  model?: string;
  prompt?: string;
  size?: string;
  n?: number;
  /** ISO time the request arrived. */
  time: string;
  /** Status answered; null while in flight, 499 when the client went away first. */
  status: number | null;
}

const MAX_SLOW_MS = 10 * 60 * 1000;

interface Triggers {
  moderation: boolean;
  rateLimit: boolean;
  error: boolean;
  failAlways: boolean;
  slowMs: number;
}

function findTriggers(text: string): Triggers {
  const slow = /\[fake:slow=(\d+)\]/.exec(text);
  return {
    moderation: text.includes('[fake:moderation]'),
    rateLimit: text.includes('[fake:rate-limit]'),
    error: text.includes('[fake:error]'),
    failAlways: text.includes('[fake:fail-always]'),
    slowMs: slow ? Math.min(Number(slow[1]), MAX_SLOW_MS) : 0,
  };
}

/**
 * The failure this attempt gets, if any: moderation and fail-always every time; rate-limit
 * the first two attempts of a prompt, then error the attempt after those.
 */
function triggeredFailure(
  triggers: Triggers,
  attempt: number,
  model: string,
  requestId: string,
): Answer | null {
  if (triggers.moderation) {
    return apiError(
      400,
      `Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID ${requestId}. safety_violations=[violence].`,
      'image_generation_user_error',
      null,
      'moderation_blocked',
    );
  }
  const serverError = () =>
    apiError(
      500,
      `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID ${requestId} in your message.)`,
      'server_error',
    );
  if (triggers.failAlways) return serverError();
  const rateLimited = triggers.rateLimit ? 2 : 0;
  if (attempt < rateLimited) {
    return apiError(
      429,
      `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 5, Used 5, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'requests',
      null,
      'rate_limit_exceeded',
      {
        'retry-after': '1',
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1s',
      },
    );
  }
  if (triggers.error && attempt === rateLimited) return serverError();
  return null;
}

/** Resolves after `ms`, or early and with false when the client goes away. */
function wait(ms: number, res: ServerResponse): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

/**
 * What tests and benches steer and inspect: the calls recorded, attempts counted per prompt,
 * and the faults and latency that markers in a prompt (`[fake:slow=MS]`, `[fake:rate-limit]`,
 * `[fake:error]`, `[fake:fail-always]`, `[fake:moderation]`) ask for.
 */
export function createControls() {
  let calls: FakeCall[] = [];
  let attempts = new Map<string, number>();
  const reset = () => {
    calls = [];
    attempts = new Map();
  };
  return {
    reset,
    /** Copies, so a caller cannot change what was recorded. */
    calls: (): FakeCall[] => calls.map((call) => ({ ...call })),
    record(call: FakeCall): void {
      calls.push(call);
    },
    /** `GET /__fake/calls` and `POST /__fake/reset`; undefined for any other request. */
    answer(method: string, path: string): Answer | undefined {
      if (path === '/__fake/calls' && method === 'GET') return new Answer(200, calls);
      if (path === '/__fake/reset' && method === 'POST') {
        reset();
        return new Answer(204, null);
      }
      return undefined;
    },
    /** Answers the work after the latency its prompt asks for, or with the fault it asks for. */
    async run(work: Work, res: ServerResponse, requestId: string): Promise<Answer> {
      const attempt = attempts.get(work.prompt) ?? 0;
      attempts.set(work.prompt, attempt + 1);
      const triggers = findTriggers(work.prompt);
      if (!(await wait(triggers.slowMs, res))) return new Answer(499, null);
      return triggeredFailure(triggers, attempt, work.model, requestId) ?? (await work.answer());
    },
  };
}
