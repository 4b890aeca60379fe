import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** One login: what the API answered, with the access token's expiry as a time. */
export interface StoredSession {
  readonly email: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch milliseconds after which the access token is refused. */
  readonly expiresAt: number;
}

type SessionFile = Record<string, StoredSession>;

/** `$XDG_CONFIG_HOME/easel`, else `~/.config/easel`. */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'easel');
}

/** Endpoints are compared without a trailing slash or case in the host, so one login serves each spelling. */
export function endpointKey(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Logins kept per endpoint in one file that only the user can read (0600, in a 0700
 * directory): refresh tokens last 30 days and are as good as a password until then.
 */
export class TokenStore {
  readonly file: string;

  constructor(readonly directory: string) {
    this.file = path.join(directory, 'sessions.json');
  }

  async get(endpoint: string): Promise<StoredSession | undefined> {
    return (await this.read())[endpointKey(endpoint)];
  }

  async set(endpoint: string, session: StoredSession): Promise<void> {
    const sessions = await this.read();
    sessions[endpointKey(endpoint)] = session;
    await this.write(sessions);
  }

  /** Answers whether there was a login to forget. */
  async delete(endpoint: string): Promise<boolean> {
    const sessions = await this.read();
    const key = endpointKey(endpoint);
    if (!(key in sessions)) return false;
    delete sessions[key];
    await this.write(sessions);
    return true;
  }

  private async read(): Promise<SessionFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      return JSON.parse(text) as SessionFile;
    } catch {
      // A damaged file holds nothing usable; the next login writes a good one.
      return {};
    }
  }

  private async write(sessions: SessionFile): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // Written aside and renamed, so a crash never leaves half a file; created 0600 so no
    // other user can read it even for a moment.
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(sessions, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.file);
  }
}
