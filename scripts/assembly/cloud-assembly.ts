import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** One resource of a CloudFormation template, as CDK writes it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

export interface TemplateOutput {
  readonly Value: unknown;
  readonly Export?: { readonly Name: string };
}

export interface Template {
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, TemplateOutput>;
}

export interface AssemblyStack {
  /** `Easel-<stage>-Stateful`. */
  readonly name: string;
  readonly template: Template;
  /** Asset directory of each file asset, by the S3 key the template names it with. */
  readonly assets: ReadonlyMap<string, string>;
}

/** The synthesized cloud assembly: Easel's two stacks, read from their templates. */
export interface CloudAssembly {
  readonly directory: string;
  readonly stage: string;
  readonly stateful: AssemblyStack;
  readonly stateless: AssemblyStack;
  /** Whether the function assets hold bundles (a full synth) or nothing (templates only). */
  readonly bundled: boolean;
}

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** The stage the local stack synthesizes: its own names, never an operator's. */
export const localStage = 'local';

/** Where `npm run dev` and the tests keep the templates they synthesize. */
export const localAssemblyDirectory = path.join(projectRoot, '.local', 'assembly');

interface AssetsManifest {
  readonly files?: Record<
    string,
    {
      readonly source: { readonly path: string; readonly packaging?: string };
      readonly destinations: Record<string, { readonly objectKey: string }>;
    }
  >;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function readStack(directory: string, name: string): AssemblyStack {
  const templateFile = path.join(directory, `${name}.template.json`);
  if (!existsSync(templateFile)) {
    throw new Error(`The cloud assembly in ${directory} has no stack ${name}; synthesize it again.`);
  }
  const assets = new Map<string, string>();
  const manifestFile = path.join(directory, `${name}.assets.json`);
  if (existsSync(manifestFile)) {
    for (const file of Object.values(readJson<AssetsManifest>(manifestFile).files ?? {})) {
      for (const destination of Object.values(file.destinations)) {
        assets.set(destination.objectKey, path.join(directory, file.source.path));
      }
    }
  }
  return { name, template: readJson<Template>(templateFile), assets };
}

/** Reads a synthesized assembly (a `cdk.out`, or one `synthesizeLocalAssembly` wrote). */
export function readCloudAssembly(directory: string, stage = localStage): CloudAssembly {
  const stateless = readStack(directory, `Easel-${stage}-Stateless`);
  const bundled = [...stateless.assets.values()].some((dir) => existsSync(path.join(dir, 'index.mjs')));
  return {
    directory,
    stage,
    stateful: readStack(directory, `Easel-${stage}-Stateful`),
    stateless,
    bundled,
  };
}

/**
 * Synthesizes the CDK app in this process, templates only: bundling is skipped (the CDK's
 * `aws:cdk:bundling-stacks` context, which the CLI does not let a user set), so it takes
 * seconds where a full synth takes a minute. The functions then run from their sources.
 */
export async function synthesizeLocalAssembly(
  directory = localAssemblyDirectory,
  stage = localStage,
): Promise<CloudAssembly> {
  const [{ App }, { buildApp }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../../infra/build-app.ts'),
  ]);
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  // cdk.json's feature flags, as the CLI passes them, so the templates are the ones it would write.
  const { context } = readJson<{ context: Record<string, unknown> }>(path.join(projectRoot, 'cdk.json'));
  const app = new App({ outdir: directory, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  // The local runtime serves web/dist itself.
  buildApp(app, { stage, projectRoot, gallery: 'skip' });
  app.synth();
  return readCloudAssembly(directory, stage);
}
