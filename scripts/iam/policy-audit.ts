import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { CloudAssembly } from '../assembly/cloud-assembly.ts';
import type { TemplateResolver } from '../assembly/intrinsics.ts';
import type { ProxiedRequest } from '../emulator/recording-proxy.ts';
import { type AwsCall, callsOf } from './aws-calls.ts';
import { iamPatternMatches, type RolePolicy, resourceLabeller, rolePoliciesOf } from './role-policies.ts';

/** A call a function made that its role would not allow in AWS. */
export interface Denial {
  readonly function: string;
  readonly action: string;
  readonly resource: string;
  /** The resource by its template name (`ImageBucket/img/…`). */
  readonly label: string;
  readonly operation: string;
  /** Why the simulator refused: its decision, or what it could not evaluate. */
  readonly reason: string;
}

/** What one stack's functions did, checked: the file a test stack leaves for the run's summary. */
export interface AuditReport {
  readonly stack: string;
  /** Calls recorded per function; `public` ones (Cognito's user API) need no IAM. */
  readonly calls: Record<string, { readonly total: number; readonly public: number }>;
  readonly denied: readonly Denial[];
  /** Each function's grants (`action resource-label`), on the services the emulator serves. */
  readonly grants: Record<string, readonly string[]>;
  /** The grants some call used. */
  readonly exercised: Record<string, readonly string[]>;
}

/** Services whose calls reach the emulator; Lambda itself writes logs and traces. */
const recordedServices = ['dynamodb', 's3', 'sqs', 'secretsmanager', 'cognito-idp'];

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The role's grant that `call` uses, in the labels of the report. */
function grantsUsedBy(
  policies: readonly RolePolicy[],
  call: AwsCall,
  label: (arn: string) => string,
): string[] {
  return policies.flatMap((policy) =>
    policy.document.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
      list(statement.Action)
        .filter((action) => iamPatternMatches(action, call.action, true))
        .flatMap((action) =>
          list(statement.Resource)
            .filter((resource) => iamPatternMatches(resource, call.resource))
            .map((resource) => `${action} ${label(resource)}`),
        ),
    ),
  );
}

function grantsOf(policies: readonly RolePolicy[], label: (arn: string) => string): string[] {
  const grants = policies.flatMap((policy) =>
    policy.document.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
      list(statement.Action)
        .filter((action) => recordedServices.includes(action.split(':')[0]!))
        .flatMap((action) => list(statement.Resource).map((resource) => `${action} ${label(resource)}`)),
    ),
  );
  return [...new Set(grants)].sort();
}

/**
 * Checks one call against the function's identity policies with an IAM policy simulator,
 * as AWS would in the same account (the resources have no policies that grant functions
 * anything). An action or resource the simulator cannot evaluate counts as denied.
 */
export async function evaluateCall(
  policies: readonly RolePolicy[],
  call: Pick<AwsCall, 'action' | 'resource'>,
  principal: string,
  accountId: string,
): Promise<{ allowed: true } | { allowed: false; reason: string }> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: call.action,
        resource: { resource: call.resource, accountId },
        contextVariables: {},
      },
      identityPolicies: policies.map((policy) => ({ name: policy.name, policy: policy.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') {
    return { allowed: false, reason: `the simulator could not evaluate it (${result.errors.message})` };
  }
  return result.overallResult === 'Allowed'
    ? { allowed: true }
    : { allowed: false, reason: `${result.overallResult} by its role's policies` };
}

export interface PolicyAuditOptions {
  readonly assembly: CloudAssembly;
  readonly resolver: TemplateResolver;
  /** Which function signed with which access key id. */
  readonly functionOfKey: (accessKeyId: string) => string | undefined;
}

/**
 * Records the AWS calls each function makes (told apart by the access key each signs
 * with) and, at `finish`, checks every distinct one against that function's role in
 * the synthesized stateless template. Calls no function signed (tests, provisioning,
 * the local runtime) are not checked.
 */
export function startPolicyAudit(options: PolicyAuditOptions) {
  const { assembly, resolver } = options;
  const stacks = [assembly.stateful, assembly.stateless];
  const tableArn = Object.keys(assembly.stateful.template.Resources)
    .map((logicalId) => resolver.attributesOf(assembly.stateful, logicalId)?.Arn)
    .find((arn) => arn?.startsWith('arn:aws:dynamodb:'));
  // The account the emulator put the resources in (moto's and LocalStack's differ).
  const accountId = tableArn?.split(':')[4] ?? '123456789012';
  const policies = rolePoliciesOf(assembly.stateless, resolver);
  const label = resourceLabeller(stacks, resolver);
  const calls = new Map<string, { call: AwsCall; function: string; count: number }>();
  const counts = new Map<string, { total: number; public: number }>();

  return {
    record(request: ProxiedRequest) {
      for (const call of callsOf(request, { accountId })) {
        const name = options.functionOfKey(call.accessKeyId);
        if (!name) continue;
        // A form posted outside its signed policy (another key, type or size) is refused by S3
        // before IAM is asked: it is someone misusing the signature, not a call of the function.
        if (call.operation.endsWith('(presigned POST)') && (request.status ?? 0) >= 400) continue;
        const count = counts.get(name) ?? { total: 0, public: 0 };
        counts.set(name, { total: count.total + 1, public: count.public + (call.authorisedByIam ? 0 : 1) });
        if (!call.authorisedByIam) continue;
        const key = `${name}\n${call.action}\n${call.resource}`;
        const seen = calls.get(key);
        calls.set(key, { call, function: name, count: (seen?.count ?? 0) + 1 });
      }
    },

    async finish(): Promise<AuditReport> {
      const denied: Denial[] = [];
      const exercised = new Map<string, Set<string>>();
      for (const { call, function: name } of calls.values()) {
        const role = policies.get(name) ?? [];
        const verdict = await evaluateCall(role, call, `arn:aws:iam::${accountId}:role/${name}`, accountId);
        if (verdict.allowed) {
          const used = exercised.get(name) ?? new Set();
          for (const grant of grantsUsedBy(role, call, label)) used.add(grant);
          exercised.set(name, used);
        } else {
          denied.push({
            function: name,
            action: call.action,
            resource: call.resource,
            label: label(call.resource),
            operation: call.operation,
            reason: verdict.reason,
          });
        }
      }
      return {
        stack: assembly.stateless.name,
        calls: Object.fromEntries(counts),
        denied,
        grants: Object.fromEntries([...policies].map(([name, role]) => [name, grantsOf(role, label)])),
        exercised: Object.fromEntries([...exercised].map(([name, used]) => [name, [...used].sort()])),
      };
    },
  };
}

export type PolicyAudit = ReturnType<typeof startPolicyAudit>;

/** A denial as a person reads it in a failed run. */
export function describeDenial(denial: Denial): string {
  return `${denial.function} called ${denial.action} on ${denial.resource} (${denial.label}, ${denial.operation}): ${denial.reason}. In AWS this call fails with AccessDenied; grant it in infra/function-permissions.ts, or stop making it.`;
}

/**
 * The run's summary over every stack's report: calls recorded per function, the calls
 * denied (a run with any fails), and the grants no call used, which are candidates for
 * removal or for a test.
 */
export function summariseAudits(reports: readonly AuditReport[]): { text: string; denied: Denial[] } {
  const calls = new Map<string, { total: number; public: number }>();
  const grants = new Map<string, Set<string>>();
  const exercised = new Map<string, Set<string>>();
  const into = (target: Map<string, Set<string>>, source: Record<string, readonly string[]>) => {
    for (const [name, entries] of Object.entries(source)) {
      const set = target.get(name) ?? new Set();
      for (const entry of entries) set.add(entry);
      target.set(name, set);
    }
  };
  for (const report of reports) {
    for (const [name, count] of Object.entries(report.calls)) {
      const sum = calls.get(name) ?? { total: 0, public: 0 };
      calls.set(name, { total: sum.total + count.total, public: sum.public + count.public });
    }
    into(grants, report.grants);
    into(exercised, report.exercised);
  }
  const denied = reports.flatMap((report) => report.denied);
  const names = [...new Set([...grants.keys(), ...calls.keys()])].sort();
  const width = Math.max(0, ...names.map((name) => name.length));
  const lines = [
    `least privilege: ${[...calls.values()].reduce((sum, count) => sum + count.total, 0)} AWS calls by ${calls.size} functions in ${reports.length} stacks, checked against their roles; ${denied.length} denied`,
    ...names.map((name) => {
      const count = calls.get(name) ?? { total: 0, public: 0 };
      const unused = [...(grants.get(name) ?? [])].filter((grant) => !exercised.get(name)?.has(grant));
      const line = `  ${name.padEnd(width)}  ${String(count.total).padStart(6)} calls${count.public ? ` (${count.public} to Cognito's public API, which IAM does not authorise)` : ''}`;
      return unused.length
        ? `${line}\n${' '.repeat(width + 4)}grants no test exercised: ${unused.join(', ')}`
        : line;
    }),
    ...denied.map((denial) => `  DENIED ${describeDenial(denial)}`),
  ];
  return { text: lines.join('\n'), denied };
}
