import type { z } from 'zod';
import { sha256Digest } from './canonical.js';
import { compileExpression } from './cel.js';
import { controlTitle, type FrameworkId } from './controls.js';
import { explainProblem, type PolicyIssue } from './issues.js';
import {
  type CompiledExpression,
  MAX_POLICY_BYTES,
  type Policy,
  type PolicyDocument,
  type PolicyRule,
  policyDocumentSchema,
} from './policy-schema.js';
import { type YamlPath, YamlSource } from './yaml-source.js';

export type ParsedPolicy =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

const expressionFields = ['when', 'expr', 'reason'] as const;

/**
 * Reads a policy: YAML syntax, then structure (unknown keys, types, severities), then duplicate rule
 * ids, then every CEL expression parsed and type-checked against the evidence. Each problem is an
 * issue with the line and column where it is written; nothing is evaluated.
 */
export function parsePolicy(text: string, source: string): ParsedPolicy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) {
    return { ok: false, issues: [{ source, line: 1, column: 1, message: `larger than ${MAX_POLICY_BYTES} bytes` }] };
  }
  const yaml = new YamlSource(text);
  const at = (path: YamlPath, message: string): PolicyIssue => ({ source, ...yaml.positionOf(path), message });

  if (yaml.document.errors.length > 0) {
    return {
      ok: false,
      issues: yaml.document.errors.map((error) => ({
        source,
        ...yaml.position(error.pos[0]),
        message: `YAML: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  let raw: unknown;
  try {
    raw = yaml.document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, issues: [at([], `YAML: ${(error as Error).message}`)] };
  }
  const parsed = policyDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: byPosition(parsed.error.issues.flatMap((i) => structureIssues(i, raw, yaml, source))) };
  }

  const document = parsed.data;
  const issues: PolicyIssue[] = [];
  const firstLine = new Map<string, number>();
  document.rules.forEach((rule, index) => {
    const seen = firstLine.get(rule.id);
    const here = yaml.positionOf(['rules', index, 'id']);
    if (seen === undefined) firstLine.set(rule.id, here.line);
    else issues.push({ source, ...here, message: `rule ${rule.id}: duplicate rule id (first at line ${seen})` });
  });

  const rules: PolicyRule[] = [];
  document.rules.forEach((rule, index) => {
    const compiled: Partial<Record<(typeof expressionFields)[number], CompiledExpression>> = {};
    for (const field of expressionFields) {
      const text = rule[field];
      if (text === undefined) continue;
      const result = compileExpression(text, field === 'reason' ? 'string' : 'bool');
      if (result.ok) {
        compiled[field] = { source: text, run: result.run };
        continue;
      }
      const { problem } = result;
      // Zod trimmed the expression; positions are in the text as written.
      const written = String(yaml.node(['rules', index, field])?.toJSON() ?? text);
      const offset = written.indexOf(text) < 0 ? 0 : written.indexOf(text);
      issues.push({
        source,
        ...yaml.charPosition(['rules', index, field], offset + problem.start),
        message: `rule ${rule.id}: ${field}: ${explainProblem(problem, text)}`,
        expression: { text, start: problem.start, end: problem.end },
      });
    }
    issues.push(...unknownControls(rule, index, yaml, source));
    if (compiled.expr) rules.push({ ...ruleFields(rule), ...compiled, expr: compiled.expr });
  });
  if (issues.length > 0) return { ok: false, issues: byPosition(issues) };
  return {
    ok: true,
    policy: {
      name: document.name,
      description: document.description ?? '',
      digest: sha256Digest(text),
      source,
      rules,
    },
  };
}

const byPosition = (issues: PolicyIssue[]): PolicyIssue[] =>
  issues.sort((a, b) => a.line - b.line || a.column - b.column);

function ruleFields(rule: PolicyDocument['rules'][number]): Omit<PolicyRule, 'expr' | 'when' | 'reason'> {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    ...(rule.remediation === undefined ? {} : { remediation: rule.remediation }),
    ...(rule.frameworks === undefined ? {} : { frameworks: rule.frameworks }),
  };
}

function unknownControls(
  rule: PolicyDocument['rules'][number],
  index: number,
  yaml: YamlSource,
  source: string,
): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  for (const [framework, ids] of Object.entries(rule.frameworks ?? {}) as [FrameworkId, string[]][]) {
    ids.forEach((id, position) => {
      if (controlTitle(framework, id)) return;
      issues.push({
        source,
        ...yaml.positionOf(['rules', index, 'frameworks', framework, position]),
        message: `rule ${rule.id}: frameworks.${framework}: unknown control '${id}'`,
      });
    });
  }
  return issues;
}

/** A schema issue at the place in the file it is about, named by rule id where there is one. */
function structureIssues(issue: z.core.$ZodIssue, raw: unknown, yaml: YamlSource, source: string): PolicyIssue[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const label = labelOf(path, raw);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      source,
      ...yaml.keyPosition(path, key),
      message: `${label}unknown field '${key}'`,
    }));
  }
  const field = path.at(-1);
  const value = valueAt(raw, path);
  const missing = issue.code === 'invalid_type' && value === undefined;
  const message = missing
    ? `missing field '${String(field)}'`
    : issue.code === 'invalid_format' && field === 'id'
      ? 'id: must be lower-case words joined by dots, e.g. policy.no-critical-findings'
      : issue.code === 'invalid_type' && issue.expected === 'string' && value !== null && typeof value !== 'object'
        ? `${String(field)}: must be a string, got ${typeof value} (quote it)`
        : `${typeof field === 'string' ? `${field}: ` : ''}${issue.message}`;
  return [{ source, ...yaml.positionOf(missing ? path.slice(0, -1) : path), message: `${label}${message}` }];
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let node = raw;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** `rule policy.x: ` for an issue inside a rule that has an id, `rules[3]: ` otherwise. */
function labelOf(path: readonly (string | number)[], raw: unknown): string {
  if (path[0] !== 'rules' || typeof path[1] !== 'number') return '';
  const rules = (raw as { rules?: unknown[] } | null)?.rules;
  const id = (rules?.[path[1]] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id ? `rule ${id}: ` : `rules[${path[1]}]: `;
}
