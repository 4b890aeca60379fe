import type { z } from 'zod/mini';
import {
  type CallArgs,
  type CallResult,
  type OperationId,
  type PreparedCall,
  prepareCall,
} from '../shared/http/api-client.ts';
import { liveSocketPath } from '../shared/http/operations.ts';
import type { UploadTicket } from '../shared/schemas/uploads.ts';
import { ApiError, CliError } from './errors.ts';
import type { StoredSession, TokenStore } from './token-store.ts';

/** What a call may add to the operation's input. */
export interface CallOptions {
  /** Headers of the request, e.g. `idempotency-key`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An access token this close to its expiry is refreshed first, so it does not lapse in flight. */
const refreshMarginMs = 60_000;

/** Easel's HTTP API, as this command line uses it: called by operation of the route table. */
export class ApiClient {
  constructor(
    readonly endpoint: string,
    private readonly store: TokenStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A call of an operation of the route table (shared/http/routes.ts): its path, method and auth
   * come from the route, its input and answer are typed from the route's schemas. A `user` route
   * sends the stored login's access token (refreshed first when it is about to expire); an
   * `optional` one sends it when there is a login that still holds; a `public` one never does.
   */
  async call<Id extends OperationId>(
    operationId: Id,
    ...[input]: CallArgs<Id, CallOptions>
  ): Promise<CallResult<Id>> {
    const prepared = prepareCall(operationId, ...([input] as CallArgs<Id>));
    const response = await this.fetch(new URL(prepared.path, this.endpoint), {
      method: prepared.method,
      headers: { ...prepared.headers, ...input?.headers, ...(await this.authorization(prepared)) },
      body: prepared.body,
    });
    const text = await response.text();
    if (!response.ok) throw apiError(response, text);
    return (text ? JSON.parse(text) : undefined) as CallResult<Id>;
  }

  /** The live-updates socket's URL (`ws:` or `wss:`), opened with a ticket of `createLiveTicket`. */
  liveSocketUrl(ticket: string): URL {
    const url = new URL(liveSocketPath, this.endpoint);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    return url;
  }

  private async authorization(prepared: Pick<PreparedCall, 'auth'>): Promise<Record<string, string>> {
    if (prepared.auth === 'public') return {};
    if (prepared.auth === 'optional') {
      if (!(await this.store.get(this.endpoint))) return {};
      // Anonymous is as good as a login that no longer holds for a route that takes either.
      const token = await this.accessToken().catch((error) => {
        if (error instanceof ExpiredLoginError) return undefined;
        throw error;
      });
      return token ? { authorization: `Bearer ${token}` } : {};
    }
    return { authorization: `Bearer ${await this.accessToken()}` };
  }

  /**
   * Logs in and keeps the tokens for this endpoint. A user with MFA on is challenged:
   * `mfaCode` is asked for the authenticator's code, which finishes the login.
   */
  async logIn(email: string, password: string, mfaCode: () => Promise<string>): Promise<StoredSession> {
    const answer = await this.call('logIn', { body: { email, password } });
    const tokens =
      'challenge' in answer
        ? await this.call('answerMfaChallenge', {
            body: { email, session: answer.session, code: (await mfaCode()).trim() },
          })
        : answer;
    const session: StoredSession = {
      email: email.trim().toLowerCase(),
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: this.now() + tokens.expiresIn * 1000,
    };
    await this.store.set(this.endpoint, session);
    return session;
  }

  /** Signs out everywhere (the API revokes every token), then forgets the login here. */
  async logOut(): Promise<boolean> {
    const session = await this.store.get(this.endpoint);
    if (!session) return false;
    try {
      await this.call('logOut');
    } catch (error) {
      // A login the API no longer honours is as good as signed out; forget it all the same.
      if (!(error instanceof ApiError && error.status === 401) && !(error instanceof ExpiredLoginError))
        throw error;
    }
    await this.store.delete(this.endpoint);
    return true;
  }

  /** Files behind the URLs the API answers (signed S3 URLs or the CDN). */
  async download(url: string): Promise<Buffer> {
    const response = await this.fetch(new URL(url, this.endpoint), {});
    if (!response.ok) throw new CliError(`Downloading ${url} failed with HTTP ${response.status}.`);
    return Buffer.from(await response.arrayBuffer());
  }

  /**
   * Downloads an image's original through `GET /api/images/{id}/download`: the API's
   * redirect is followed to storage, whose `Content-Disposition` names the file. The login
   * is sent when there is one (someone else's shared image needs none).
   */
  async downloadImage(imageId: string): Promise<{ name: string; bytes: Buffer }> {
    const prepared = prepareCall('downloadImage', { params: { imageId } });
    const answer = await this.fetch(new URL(prepared.path, this.endpoint), {
      method: prepared.method,
      headers: await this.authorization(prepared),
      redirect: 'manual',
    });
    const location = answer.headers.get('location');
    if (answer.status !== 302 || !location) throw apiError(answer, await answer.text());
    const file = await this.fetch(new URL(location, this.endpoint), {});
    if (!file.ok) throw new CliError(`Downloading ${imageId} failed with HTTP ${file.status}.`);
    return {
      name: fileNameOf(file.headers.get('content-disposition')) ?? imageId,
      bytes: Buffer.from(await file.arrayBuffer()),
    };
  }

  /** Forgets the login here without a call (the account it belonged to is gone). */
  async forget(): Promise<void> {
    await this.store.delete(this.endpoint);
  }

  /** Posts a file to storage with a presigned POST, as `POST /api/uploads` handed it out. */
  async postToStorage(
    ticket: z.infer<typeof UploadTicket>,
    bytes: Uint8Array,
    contentType: string,
    filename: string,
  ): Promise<void> {
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: contentType }), filename);
    const response = await this.fetch(new URL(ticket.url, this.endpoint), { method: 'POST', body: form });
    if (!response.ok)
      throw new CliError(`Storage refused the upload (HTTP ${response.status}): ${await response.text()}`);
  }

  private async accessToken(): Promise<string> {
    const session = await this.store.get(this.endpoint);
    if (!session) throw new CliError(`You are not logged in to ${this.endpoint}. Log in with: easel login`);
    if (session.expiresAt - this.now() > refreshMarginMs) return session.accessToken;
    let tokens: CallResult<'refresh'>;
    try {
      tokens = await this.call('refresh', { body: { refreshToken: session.refreshToken } });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw new ExpiredLoginError(this.endpoint);
      throw error;
    }
    await this.store.set(this.endpoint, {
      ...session,
      accessToken: tokens.accessToken,
      expiresAt: this.now() + tokens.expiresIn * 1000,
    });
    return tokens.accessToken;
  }

  private async fetch(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      throw new CliError(
        `Cannot reach ${url.origin} (${cause?.code ?? (error as Error).message}). ` +
          'Is the stack running (npm run dev), and is --endpoint right?',
      );
    }
  }
}

export class ExpiredLoginError extends CliError {
  constructor(endpoint: string) {
    super(`Your login to ${endpoint} has expired or was signed out. Log in again with: easel login`);
  }
}

function apiError(response: Response, text: string): ApiError {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: unknown[] };
      requestId?: string;
    };
    if (body.error?.code)
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message ?? response.statusText,
        body.error.details,
        body.requestId,
      );
  } catch {
    // Not the API's JSON (a proxy or CloudFront answered): fall through to the status line.
  }
  return new ApiError(response.status, `HTTP_${response.status}`, text.slice(0, 200) || response.statusText);
}

/**
 * The file name a `Content-Disposition` gives: `filename*` (RFC 5987, UTF-8) when there is
 * one, else `filename`; only its last path segment, so a name can never leave the directory.
 */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  let name: string | undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      name = decodeURIComponent(extended[1]!.trim());
    } catch {
      name = undefined;
    }
  }
  name ??=
    /filename\s*=\s*"([^"]*)"/i.exec(disposition)?.[1] ?? /filename\s*=\s*([^;]+)/i.exec(disposition)?.[1];
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base && base !== '.' && base !== '..' ? base : undefined;
}
