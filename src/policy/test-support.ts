import { type Evidence, emptyEvidence } from '../contracts/index.js';
import { formatIssues } from './issues.js';
import { parsePolicy } from './load-policy.js';
import type { Policy } from './policy-schema.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]> };

/** Evidence of a folder named `model`, with the given parts changed (objects merged, arrays replaced). */
export function evidenceWith(changes: DeepPartial<Evidence> = {}): Evidence {
  return merge(emptyEvidence({ kind: 'directory', name: 'model', version: null, digest: null, alias: null }), changes);
}

function merge<T>(base: T, changes: unknown): T {
  if (changes === undefined) return base;
  if (Array.isArray(changes) || changes === null || typeof changes !== 'object') return changes as T;
  const out = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(changes)) out[key] = merge(out[key], value);
  return out as T;
}

/** A policy from rule YAML (list items indented by two spaces); throws with the issues when it is bad. */
export function policyFrom(rules: string, name = 'test'): Policy {
  const parsed = parsePolicy(
    `apiVersion: mlsecops.dev/v1\nkind: Policy\nname: ${name}\nrules:\n${rules}`,
    `${name}.yaml`,
  );
  if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
  return parsed.policy;
}
