import type { Command } from 'commander';
import {
  type Deployment,
  defaultLocalStackFile,
  deploymentFromStacks,
  localDeployment,
} from './deployment.ts';
import { ApiClient } from './http-client.ts';
import type { Io } from './terminal.ts';
import { configDirectory, TokenStore } from './token-store.ts';

/** The options every command takes (commander's globals). */
export interface GlobalOptions {
  readonly endpoint?: string;
  readonly stack?: string;
  readonly localStack?: string;
  readonly json?: boolean;
  readonly debug?: boolean;
}

export const defaultEndpoint = 'http://127.0.0.1:3000';

/** What a command runs with: its streams, environment and options, and lazily the API or the deployment. */
export class Context {
  private deploymentPromise?: Promise<Deployment>;

  constructor(
    readonly io: Io,
    readonly env: NodeJS.ProcessEnv,
    readonly options: GlobalOptions,
  ) {}

  static of(command: Command, io: Io, env: NodeJS.ProcessEnv): Context {
    return new Context(io, env, command.optsWithGlobals<GlobalOptions>());
  }

  get json(): boolean {
    return this.options.json === true;
  }

  get stage(): string | undefined {
    return this.options.stack ?? this.env.EASEL_STACK;
  }

  /** --endpoint, else EASEL_ENDPOINT, else the SiteUrl of --stack's deployment, else the local stack. */
  async endpoint(): Promise<string> {
    const explicit = this.options.endpoint ?? this.env.EASEL_ENDPOINT;
    if (explicit) return explicit;
    if (this.stage) return (await this.deployment()).siteUrl ?? defaultEndpoint;
    return defaultEndpoint;
  }

  async api(): Promise<ApiClient> {
    return new ApiClient(await this.endpoint(), new TokenStore(configDirectory(this.env)));
  }

  /** The deployment the operator commands act on: --stack's, else the local stack's file. */
  deployment(): Promise<Deployment> {
    this.deploymentPromise ??= this.stage
      ? deploymentFromStacks(this.stage)
      : localDeployment(
          this.options.localStack ?? this.env.EASEL_LOCAL_STACK ?? defaultLocalStackFile,
          this.env,
        );
    return this.deploymentPromise;
  }

  print(text: string): void {
    this.io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  }

  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}
