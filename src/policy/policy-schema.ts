import type { ParseResult } from '@marcbachmann/cel-js';
import { z } from 'zod';
import { type FrameworkRefs, findingSchema, type Severity, severitySchema } from '../contracts/index.js';
import { MAX_EXPRESSION_LENGTH } from './cel.js';
import { frameworkIds } from './controls.js';

export const POLICY_API_VERSION = 'mlsecops.dev/v1';
/** Policy files are small; larger ones are refused unread. */
export const MAX_POLICY_BYTES = 1 << 20;
export const MAX_RULES = 500;

const expression = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_EXPRESSION_LENGTH, `longer than ${MAX_EXPRESSION_LENGTH} characters`);

const frameworksSchema = z.strictObject(
  Object.fromEntries(frameworkIds.map((id) => [id, z.array(z.string()).max(50).optional()])) as {
    [K in keyof FrameworkRefs]: z.ZodOptional<z.ZodArray<z.ZodString>>;
  },
);

/** A rule as written: `expr` must hold (true passes) whenever `when` does. */
export const policyRuleSchema = z.strictObject({
  /** Becomes the ruleId of the finding a failure produces, so it follows the same pattern. */
  id: findingSchema.shape.ruleId,
  title: z.string().min(1).max(200),
  severity: severitySchema,
  when: expression.optional(),
  expr: expression,
  /** A CEL string explaining the outcome, e.g. `string(scan.bySeverity.critical) + " critical findings"`. */
  reason: expression.optional(),
  remediation: z.string().max(2000).optional(),
  /** Replaces the mapping the product has for this rule id. */
  frameworks: frameworksSchema.optional(),
});

export const policyDocumentSchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal('Policy'),
  name: z.string().min(1).max(100),
  description: z.string().max(4000).optional(),
  rules: z.array(policyRuleSchema).min(1).max(MAX_RULES),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** An expression that parsed and type-checked, ready to run. */
export interface CompiledExpression {
  readonly source: string;
  readonly run: ParseResult;
}

export interface PolicyRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly when?: CompiledExpression;
  readonly expr: CompiledExpression;
  readonly reason?: CompiledExpression;
  readonly remediation?: string;
  readonly frameworks?: Partial<FrameworkRefs>;
}

/** A loaded policy: every expression checked against the evidence types before anything runs. */
export interface Policy {
  readonly name: string;
  readonly description: string;
  /** `sha256:<hex>` of the policy text (for several policies, of their names and digests). */
  readonly digest: string;
  /** Where it came from: a file path or `pack:<name>`. */
  readonly source: string;
  readonly rules: readonly PolicyRule[];
}
