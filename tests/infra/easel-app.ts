import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
import { type BuildAppOptions, buildApp, type EaselStacks } from '../../infra/build-app.ts';
import { functionPermissions } from '../../infra/function-permissions.ts';
import { apiFunctions } from '../../shared/http/routes.ts';
import { queues } from '../../shared/resources.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
/** The feature flags of cdk.json, so the tests build what `cdk synth` builds. */
export const cdkContext: Record<string, unknown> = JSON.parse(
  readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8'),
).context;

const stubRoots: string[] = [];
// Registered on the importing test file: its stub projects and cloud assemblies go with it.
afterAll(() => {
  for (const root of stubRoots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** An empty directory removed after the test file. */
export function scratchDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'easel-infra-'));
  stubRoots.push(dir);
  return dir;
}

/**
 * A throwaway project root with a stub entry file per function. NodejsFunction checks
 * that its entry exists even when bundling is skipped, and these tests are about the
 * infrastructure, not the handlers (which `npm run synth` bundles for real).
 */
export function stubProject(options: { gallery?: boolean; functions?: Iterable<string> } = {}): string {
  const root = scratchDir();
  mkdirSync(path.join(root, 'functions'));
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  const names = new Set([
    ...apiFunctions().keys(),
    ...Object.values(queues).flatMap((queue) => [queue.worker, queue.dlqWorker]),
    ...Object.keys(functionPermissions),
    ...(options.functions ?? []),
  ]);
  for (const name of names) {
    writeFileSync(path.join(root, 'functions', `${name}.ts`), 'export const handler = async () => {};\n');
  }
  if (options.gallery) {
    mkdirSync(path.join(root, 'web', 'dist', 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'web', 'dist', 'index.html'), '<!doctype html><title>Easel</title>');
    writeFileSync(path.join(root, 'web', 'dist', 'assets', 'index-abc123.js'), 'export {};');
  }
  return root;
}

export type TestAppOptions = Omit<Partial<BuildAppOptions>, 'gallery'> & { gallery?: boolean };

/** Easel's stacks without bundling (`aws:cdk:bundling-stacks: []`), so a synth takes seconds. */
export function testApp(options: TestAppOptions = {}): EaselStacks {
  const { gallery, ...buildOptions } = options;
  const projectRoot = stubProject({ gallery, functions: Object.keys(buildOptions.permissions ?? {}) });
  const app = new App({
    outdir: path.join(projectRoot, 'cdk.out'),
    context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
  });
  return buildApp(app, { stage: 'dev', projectRoot, gallery: gallery ? 'deploy' : 'skip', ...buildOptions });
}

/** A piece of a synthesised template. */
export type Json = ReturnType<Template['toJSON']>;

/** The logical id of a construct's CloudFormation resource in its stack's template. */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

type Resources = Record<string, { Type: string; Properties?: unknown; DependsOn?: string | string[] }>;

/** Logical ids a value refers to through Ref, Fn::GetAtt or Fn::Sub. */
function references(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) references(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt')
        found.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]!);
      else if (key === 'Fn::Sub') {
        const template = Array.isArray(inner) ? String(inner[0]) : String(inner);
        for (const match of template.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) found.add(match[1]!);
        references(inner, found);
      } else references(inner, found);
    }
  }
  return found;
}

/**
 * A dependency cycle inside one template, as resource ids, or undefined. CDK does not
 * look for these at synth; CloudFormation refuses the template at deploy.
 */
export function findCycle(template: Template): string[] | undefined {
  const resources: Resources = template.toJSON().Resources;
  const ids = new Set(Object.keys(resources));
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(resources)) {
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    edges.set(
      id,
      [...references(resource.Properties), ...dependsOn].filter((target) => ids.has(target)),
    );
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'visiting');
    trail.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}
