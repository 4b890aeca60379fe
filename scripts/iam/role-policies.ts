import type { AssemblyStack } from '../assembly/cloud-assembly.ts';
import { type TemplateResolver, UnresolvableValueError } from '../assembly/intrinsics.ts';
import { functionNameOf } from '../assembly/runtime-model.ts';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement[];
}

/** One identity policy of a function's role, its resources resolved to the local ones. */
export interface RolePolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

const logicalIdOf = (value: unknown): string | undefined => {
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
  return reference?.Ref ?? reference?.['Fn::GetAtt']?.[0];
};

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * A statement with its resources resolved. Resources that do not exist locally (the
 * function's log group: Lambda itself writes the logs) are left out, which can only
 * narrow the statement, never widen it; a statement left without any is dropped.
 */
function resolveStatement(
  stack: AssemblyStack,
  resolver: TemplateResolver,
  statement: Record<string, unknown>,
  where: string,
): PolicyStatement | undefined {
  const resources = list(statement.Resource).flatMap((resource, index) => {
    try {
      return [resolver.string(stack, resource, `${where} Resource[${index}]`)];
    } catch (error) {
      if (error instanceof UnresolvableValueError) return [];
      throw error;
    }
  });
  if (resources.length === 0) return undefined;
  return { ...(statement as unknown as PolicyStatement), Resource: resources };
}

/**
 * The identity policies of each function's role in a synthesized stateless template,
 * by function name (its `easel:function` tag): every `AWS::IAM::Policy` attached to the
 * role and the role's inline policies. A managed policy cannot be read from the
 * template, so a role with one stops the check with its name.
 */
export function rolePoliciesOf(stack: AssemblyStack, resolver: TemplateResolver): Map<string, RolePolicy[]> {
  const resources = Object.entries(stack.template.Resources);
  const functionByRole = new Map<string, string>();
  for (const [, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = functionNameOf(resource.Properties ?? {});
    const role = logicalIdOf(resource.Properties?.Role);
    if (name && role) functionByRole.set(role, name);
  }

  const policies = new Map<string, RolePolicy[]>([...functionByRole.values()].map((name) => [name, []]));
  const add = (roleId: string, name: string, document: { Statement?: unknown }) => {
    const functionName = functionByRole.get(roleId);
    if (!functionName) return;
    const where = `${stack.name} ${name}`;
    const statements = list(document.Statement as Record<string, unknown>[]).flatMap((statement) => {
      const resolved = resolveStatement(stack, resolver, statement, where);
      return resolved ? [resolved] : [];
    });
    policies.get(functionName)!.push({ name, document: { Version: '2012-10-17', Statement: statements } });
  };

  for (const [logicalId, resource] of resources) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy') {
      for (const role of list(properties.Roles)) {
        const roleId = logicalIdOf(role);
        if (roleId) add(roleId, logicalId, properties.PolicyDocument as { Statement?: unknown });
      }
    }
    if (resource.Type === 'AWS::IAM::Role' && functionByRole.has(logicalId)) {
      if (list(properties.ManagedPolicyArns).length > 0) {
        throw new Error(
          `${stack.name} ${logicalId}: the role of ${functionByRole.get(logicalId)} has managed policies, which the local IAM check cannot read from the template; grant with inline statements instead.`,
        );
      }
      for (const inline of list(properties.Policies as { PolicyName: string; PolicyDocument: object }[])) {
        add(logicalId, `${logicalId}/${inline.PolicyName}`, inline.PolicyDocument);
      }
    }
  }
  return policies;
}

/** IAM's wildcard match: `*` any run of characters, `?` one. */
export function iamPatternMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/**
 * Names for the local resources by what they are in the templates (`ImageBucket`,
 * `Table`, `JobsQueue`), so that ARNs read the same in every test stack, whatever its prefix.
 */
export function resourceLabeller(stacks: readonly AssemblyStack[], resolver: TemplateResolver) {
  const names: [string, string][] = [];
  for (const stack of stacks) {
    for (const logicalId of Object.keys(stack.template.Resources)) {
      const attributes = resolver.attributesOf(stack, logicalId);
      // A secret's Ref is its ARN. CDK ends a logical id with a hash of its construct path.
      const arn = [attributes?.Arn, attributes?.Ref].find((value) => value?.startsWith('arn:'));
      if (arn) names.push([arn, logicalId.replace(/[0-9A-F]{8}$/, '')]);
    }
  }
  return (arn: string) => {
    for (const [local, label] of names) {
      if (arn === local || arn.startsWith(`${local}/`)) {
        return `${label}${arn.slice(local.length)}`;
      }
    }
    return arn;
  };
}
