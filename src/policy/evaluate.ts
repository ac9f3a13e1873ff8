import { type Evidence, evidenceSchema, type GateDecision, type GateRuleResult } from '../contracts/index.js';
import { canonicalJson, sha256Digest } from './canonical.js';
import { celVariables } from './cel-types.js';
import { PolicyError } from './issues.js';
import { frameworksFor } from './mappings.js';
import type { CompiledExpression, Policy, PolicyRule } from './policy-schema.js';

export interface EvaluateOptions {
  /** When the decision is taken (default now). */
  readonly now?: Date;
}

/** `sha256:<hex>` of the evidence's canonical JSON: what a decision was taken on. */
export function evidenceDigest(evidence: Evidence): string {
  return sha256Digest(canonicalJson(evidence));
}

/**
 * Runs every rule of a policy over one evidence document. A rule whose `when` is false is skipped
 * (and passes); a rule that fails to evaluate fails, with the error as its reason. Never throws for
 * a rule; throws `PolicyError` only when the evidence does not follow its contract.
 */
export function evaluatePolicy(policy: Policy, evidence: Evidence, options: EvaluateOptions = {}): GateDecision {
  const parsed = evidenceSchema.safeParse(evidence);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PolicyError(
      'INVALID_EVIDENCE',
      `evidence does not follow the contract: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const variables = celVariables(parsed.data);
  const rules = policy.rules.map((rule) => evaluateRule(rule, variables));
  return {
    schemaVersion: 1,
    policy: { name: policy.name, digest: policy.digest },
    subject: parsed.data.subject,
    passed: rules.every((rule) => rule.passed),
    evaluatedAt: (options.now ?? new Date()).toISOString(),
    evidenceDigest: evidenceDigest(parsed.data),
    rules,
  };
}

function evaluateRule(rule: PolicyRule, variables: Record<string, unknown>): GateRuleResult {
  const base = {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    frameworks: frameworksFor(rule.id, rule.frameworks),
  };
  if (rule.when) {
    const applies = run(rule.when, variables, 'boolean');
    if (!applies.ok)
      return { ...base, passed: false, skipped: false, reason: `when: ${applies.error}`, error: applies.error };
    if (applies.value === false) {
      return { ...base, passed: true, skipped: true, reason: `not applicable (${rule.when.source})` };
    }
  }
  const outcome = run(rule.expr, variables, 'boolean');
  if (!outcome.ok)
    return { ...base, passed: false, skipped: false, reason: `error: ${outcome.error}`, error: outcome.error };
  const passed = outcome.value === true;
  return { ...base, passed, skipped: false, reason: explain(rule, passed, variables) };
}

function explain(rule: PolicyRule, passed: boolean, variables: Record<string, unknown>): string {
  if (rule.reason) {
    const said = run(rule.reason, variables, 'string');
    if (said.ok) return String(said.value).slice(0, 1000);
    return `${passed ? 'holds' : 'does not hold'} (reason failed: ${said.error})`;
  }
  return passed ? 'holds' : `does not hold: ${rule.expr.source}`;
}

type Ran = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Runs one checked expression; a run-time error (or a `dyn` of the wrong type) is a value, not a throw. */
function run(expression: CompiledExpression, variables: Record<string, unknown>, type: 'boolean' | 'string'): Ran {
  try {
    const value: unknown = expression.run(variables);
    if (typeof value !== type)
      return { ok: false, error: `expected ${type === 'boolean' ? 'bool' : 'string'}, got ${typeof value}` };
    return { ok: true, value };
  } catch (error) {
    const e = error as { summary?: string; message?: string };
    return { ok: false, error: e.summary ?? e.message ?? String(error) };
  }
}
