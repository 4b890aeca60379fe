import type { AssemblyStack } from './cloud-assembly.ts';

/** The attributes of one resource as it exists locally: `Ref` and what `Fn::GetAtt` may ask for. */
export type LocalAttributes = Readonly<Record<string, string>>;

/** A template value the local stack has no counterpart for: the start stops with its name. */
export class UnresolvableValueError extends Error {
  constructor(where: string, detail: string) {
    super(`${where}: ${detail}; the local stack cannot map it`);
    this.name = 'UnresolvableValueError';
  }
}

export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
}

/**
 * Resolves CloudFormation intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Join`,
 * `Fn::Select`, `Fn::Split`, `Fn::Sub`, `Fn::ImportValue`) against the local
 * counterparts of the stacks' resources, as CloudFormation resolves them against the
 * deployed ones. `where` names the value in errors (stack, resource, property).
 */
export class TemplateResolver {
  private readonly attributes = new Map<string, Map<string, LocalAttributes>>();

  constructor(
    private readonly stacks: readonly AssemblyStack[],
    private readonly pseudo: PseudoParameters,
  ) {
    for (const stack of stacks) this.attributes.set(stack.name, new Map());
  }

  /** Records what a resource is locally, once it exists. */
  define(stack: AssemblyStack, logicalId: string, attributes: LocalAttributes): void {
    this.attributes.get(stack.name)!.set(logicalId, attributes);
  }

  attributesOf(stack: AssemblyStack, logicalId: string): LocalAttributes | undefined {
    return this.attributes.get(stack.name)?.get(logicalId);
  }

  /** A value that must come out as a string. */
  string(stack: AssemblyStack, value: unknown, where: string): string {
    const resolved = this.resolve(stack, value, where);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new UnresolvableValueError(where, `expected a string, got ${JSON.stringify(resolved)}`);
  }

  resolve(stack: AssemblyStack, value: unknown, where: string): unknown {
    if (Array.isArray(value))
      return value.map((item, index) => this.resolve(stack, item, `${where}[${index}]`));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
      return this.intrinsic(stack, key, argument, where);
    }
    return Object.fromEntries(
      entries.map(([name, item]) => [name, this.resolve(stack, item, `${where}.${name}`)]),
    );
  }

  private intrinsic(stack: AssemblyStack, name: string, argument: unknown, where: string): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(stack, String(argument), where);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument)
          ? (argument as string[])
          : String(argument).split(/\.(.*)/s);
        return this.getAtt(stack, logicalId!, attribute!, where);
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(stack, parts, where) as unknown[]).map((part) => String(part)).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        const items = this.resolve(stack, list, where) as unknown[];
        const at = Number(this.resolve(stack, index, where));
        if (!Array.isArray(items) || !(at in items)) {
          throw new UnresolvableValueError(where, `Fn::Select ${at} is out of range`);
        }
        return items[at];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return this.string(stack, source, where).split(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = (Array.isArray(argument) ? argument : [argument, {}]) as [
          string,
          Record<string, unknown>,
        ];
        return text.replace(/\$\{([^}!][^}]*)\}/g, (_, reference: string) => {
          if (reference in variables) return this.string(stack, variables[reference], where);
          const [logicalId, attribute] = reference.split(/\.(.*)/s);
          return attribute
            ? String(this.getAtt(stack, logicalId!, attribute, where))
            : String(this.ref(stack, logicalId!, where));
        });
      }
      case 'Fn::ImportValue':
        return this.importValue(this.string(stack, argument, where), where);
      case 'Fn::GetStackOutput': {
        // CDK's weak cross-stack references: another stack's output, read at deploy time.
        const { StackName, OutputName } = argument as { StackName: unknown; OutputName: unknown };
        return this.stackOutput(
          this.string(stack, StackName, where),
          this.string(stack, OutputName, where),
          where,
        );
      }
      default:
        throw new UnresolvableValueError(where, `${name} is not supported`);
    }
  }

  private ref(stack: AssemblyStack, logicalId: string, where: string): string {
    switch (logicalId) {
      case 'AWS::Region':
        return this.pseudo.region;
      case 'AWS::AccountId':
        return this.pseudo.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack.name;
    }
    return this.getAtt(stack, logicalId, 'Ref', where);
  }

  private getAtt(stack: AssemblyStack, logicalId: string, attribute: string, where: string): string {
    const resource = stack.template.Resources[logicalId];
    if (!resource) throw new UnresolvableValueError(where, `${stack.name} has no resource ${logicalId}`);
    const attributes = this.attributesOf(stack, logicalId);
    const value = attributes?.[attribute];
    if (value === undefined) {
      const what = attribute === 'Ref' ? `Ref ${logicalId}` : `Fn::GetAtt ${logicalId}.${attribute}`;
      throw new UnresolvableValueError(
        where,
        attributes
          ? `${what} (${resource.Type}) has no local value`
          : `${what} names a ${resource.Type} that does not exist locally`,
      );
    }
    return value;
  }

  private importValue(exportName: string, where: string): unknown {
    for (const stack of this.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export?.Name === exportName)
          return this.resolve(stack, output.Value, `${where} (export ${exportName})`);
      }
    }
    throw new UnresolvableValueError(where, `no stack exports ${exportName}`);
  }

  private stackOutput(stackName: string, outputName: string, where: string): unknown {
    const stack = this.stacks.find((candidate) => candidate.name === stackName);
    const output = stack?.template.Outputs?.[outputName];
    if (!stack || !output)
      throw new UnresolvableValueError(where, `${stackName} has no output ${outputName}`);
    return this.resolve(stack, output.Value, `${where} (output ${outputName} of ${stackName})`);
  }

  /** Every output of a stack, resolved. */
  outputs(stack: AssemblyStack): Record<string, string> {
    return Object.fromEntries(
      Object.entries(stack.template.Outputs ?? {}).map(([name, output]) => [
        name,
        this.string(stack, output.Value, `${stack.name} output ${name}`),
      ]),
    );
  }
}
