import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ApiExchange } from '../../scripts/local-runtime/http-server.ts';

type JsonObject = Record<string, unknown>;

/** One answer the document does not allow, in words that say where to look. */
export interface Violation {
  readonly operation: string;
  readonly status: number;
  readonly problem: string;
}

/** What one test stack's answers came to: how many were checked, per operation, and what failed. */
export interface ResponseReport {
  readonly checked: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly violations: readonly Violation[];
}

interface Operation {
  readonly id: string;
  readonly path: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly rank: number;
  readonly responses: JsonObject;
}

const documentId = 'https://easel.invalid/openapi.json';
const catchAll = 'the /api catch-all (404, 405)';

function templatePattern(path: string) {
  let rank = 0;
  const source = path
    .split('/')
    .map((segment) => {
      if (/^\{\w+\}$/.test(segment)) {
        rank += 1;
        return '[^/]+';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), rank };
}

/**
 * Checks answers of the API against the OpenAPI document it serves: the status must be one
 * the operation lists, and the body must match that answer's schema (OpenAPI 3.1 schemas are
 * JSON Schema 2020-12, checked with ajv and ajv-formats). Only `/api/` answers are given to it:
 * the gallery's files, `/img/*` (public image copies) and `/__local/*` (local-only helpers) are
 * not operations of the API and are left out where the answers are collected.
 */
export function responseValidator(document: JsonObject) {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats.default(ajv);
  // OpenAPI's own formats, which say how a string is meant rather than constrain it.
  for (const format of ['password', 'binary', 'byte']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: documentId, components: document.components ?? {} });

  const operations: Operation[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as JsonObject)) {
    for (const [method, op] of Object.entries(item as JsonObject)) {
      const { operationId, responses } = op as { operationId: string; responses: JsonObject };
      operations.push({
        id: operationId,
        path,
        method: method.toUpperCase(),
        ...templatePattern(path),
        responses,
      });
    }
  }
  // The most specific path first, as API Gateway picks routes.
  operations.sort((a, b) => a.rank - b.rank);

  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (key: string, schema: unknown) => {
    let validate = compiled.get(key);
    if (!validate) {
      const rewritten = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${documentId}#/components/`),
      );
      validate = ajv.compile(rewritten);
      compiled.set(key, validate);
    }
    return validate;
  };
  const errorSchema = { $ref: '#/components/schemas/Error' };

  const byOperation: Record<string, number> = {};
  const violations: Violation[] = [];

  function checkBody(operation: string, status: number, exchange: ApiExchange, content: unknown) {
    const json = (content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined;
    const contentType = String(exchange.headers['content-type'] ?? '');
    // A page for people (a link preview's HTML): its media type is what the document can say.
    const other = Object.keys((content as JsonObject | undefined) ?? {}).filter(
      (type) => type !== 'application/json',
    );
    if (!json && other.length > 0) {
      if (!other.some((type) => contentType.startsWith(type)))
        violations.push({
          operation,
          status,
          problem: `content-type "${contentType}", not ${other.join(' or ')}`,
        });
      return;
    }
    if (!json) {
      if (exchange.body)
        violations.push({ operation, status, problem: 'a body where the document has none' });
      return;
    }
    if (!contentType.startsWith('application/json')) {
      violations.push({ operation, status, problem: `content-type "${contentType}", not application/json` });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(exchange.body ?? '');
    } catch {
      violations.push({ operation, status, problem: 'a body that is not JSON' });
      return;
    }
    if (json.schema === undefined) return;
    const validate = validatorOf(`${operation} ${status}`, json.schema);
    if (!validate(body)) {
      const first = validate.errors?.[0];
      violations.push({
        operation,
        status,
        problem: `body does not match the schema: ${first?.instancePath || '(root)'} ${first?.message ?? ''} (${first?.schemaPath ?? ''})`,
      });
    }
  }

  return {
    check(exchange: ApiExchange) {
      const method = exchange.method.toUpperCase();
      const onPath = operations.filter((op) => op.pattern.test(exchange.path));
      const operation = onPath.find((op) => op.method === method);
      const name = operation?.id ?? catchAll;
      byOperation[name] = (byOperation[name] ?? 0) + 1;
      if (!operation) {
        // Not an operation: the catch-all answers 404 for an unknown path, 405 with Allow for a known one.
        const expected = onPath.length > 0 ? 405 : 404;
        if (exchange.status !== expected) {
          violations.push({
            operation: name,
            status: exchange.status,
            problem: `${method} ${exchange.path} should answer ${expected}`,
          });
          return;
        }
        if (expected === 405) {
          const allow = new Set(
            String(exchange.headers.allow ?? '')
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
          );
          // The most specific path's methods, as the document reads (operations are sorted so).
          const declared = new Set(onPath.filter((op) => op.path === onPath[0]!.path).map((op) => op.method));
          if (allow.size !== declared.size || [...declared].some((m) => !allow.has(m))) {
            violations.push({
              operation: name,
              status: 405,
              problem: `Allow is "${exchange.headers.allow ?? ''}", the document declares ${[...declared].join(', ')} for ${exchange.path}`,
            });
          }
        }
        checkBody(name, exchange.status, exchange, { 'application/json': { schema: errorSchema } });
        return;
      }
      const answer = operation.responses[String(exchange.status)] as JsonObject | undefined;
      if (!answer) {
        violations.push({
          operation: operation.id,
          status: exchange.status,
          problem: `status ${exchange.status} is not documented (${method} ${exchange.path})`,
        });
        return;
      }
      checkBody(operation.id, exchange.status, exchange, answer.content);
    },
    report(): ResponseReport {
      const checked = Object.values(byOperation).reduce((sum, n) => sum + n, 0);
      return { checked, byOperation: { ...byOperation }, violations: [...violations] };
    },
  };
}

/** The violations in lines a person can act on: operation, status and the first schema error. */
export function describeViolations(violations: readonly Violation[]): string {
  const counted = new Map<string, number>();
  for (const v of violations) {
    const line = `${v.operation} → ${v.status}: ${v.problem}`;
    counted.set(line, (counted.get(line) ?? 0) + 1);
  }
  return [...counted].map(([line, n]) => `  ${line}${n > 1 ? ` (×${n})` : ''}`).join('\n');
}

/** Sums the reports of a run into one line per tier, and the violations of them all. */
export function summariseResponseReports(tier: string, reports: readonly ResponseReport[]) {
  const byOperation: Record<string, number> = {};
  const violations: Violation[] = [];
  let checked = 0;
  for (const report of reports) {
    checked += report.checked;
    violations.push(...report.violations);
    for (const [op, n] of Object.entries(report.byOperation)) byOperation[op] = (byOperation[op] ?? 0) + n;
  }
  const text = `OpenAPI (${tier}): ${checked} responses of ${Object.keys(byOperation).length} operations checked against the document, ${violations.length} undocumented`;
  return { text, checked, violations };
}
