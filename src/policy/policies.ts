import { sha256Digest } from './canonical.js';
import { formatIssues, PolicyError } from './issues.js';
import { parsePolicy } from './load-policy.js';
import { isPackName, packNames, packYaml } from './packs/index.js';
import { MAX_POLICY_BYTES, type Policy, type PolicyRule } from './policy-schema.js';
import { readBounded } from './read-bounded.js';

/** A shipped pack by name: the same text `packYaml` renders, checked like any file. */
export function loadPack(name: string): Policy {
  if (!isPackName(name)) {
    throw new PolicyError('UNKNOWN_PACK', `no policy pack '${name}'; packs: ${packNames.join(', ')}`);
  }
  return checked(parsePolicy(packYaml(name), `pack:${name}`));
}

/** `pack:<name>` or a policy file; a bad policy throws `PolicyError` with every issue and where it is. */
export async function loadPolicy(reference: string): Promise<Policy> {
  if (reference.startsWith('pack:')) return loadPack(reference.slice('pack:'.length));
  return checked(parsePolicy(await readPolicyFile(reference), reference));
}

function checked(parsed: ReturnType<typeof parsePolicy>): Policy {
  if (parsed.ok) return parsed.policy;
  const source = parsed.issues[0]?.source ?? 'policy';
  throw new PolicyError('INVALID_POLICY', `invalid policy ${source}:\n${formatIssues(parsed.issues)}`, parsed.issues);
}

async function readPolicyFile(path: string): Promise<string> {
  const text = await readBounded(path, MAX_POLICY_BYTES);
  if (text === undefined) throw new PolicyError('UNREADABLE', `cannot read policy ${path}: ENOENT`);
  return text;
}

/**
 * Several policies as one: their rules in order, a rule id shared by two policies kept once when both
 * define it alike (packs share rules) and refused when they differ. The digest covers every part.
 */
export function combinePolicies(policies: readonly Policy[]): Policy {
  if (policies.length === 1) return policies[0]!;
  if (policies.length === 0) throw new PolicyError('INVALID_POLICY', 'no policy given');
  const rules = new Map<string, { rule: PolicyRule; from: string }>();
  for (const policy of policies) {
    for (const rule of policy.rules) {
      const seen = rules.get(rule.id);
      if (!seen) rules.set(rule.id, { rule, from: policy.source });
      else if (fingerprint(seen.rule) !== fingerprint(rule)) {
        throw new PolicyError(
          'CONFLICTING_RULES',
          `rule ${rule.id} is defined differently in ${seen.from} and ${policy.source}`,
        );
      }
    }
  }
  return {
    name: policies.map((policy) => policy.name).join(' + '),
    description: policies.map((policy) => policy.description).join('\n'),
    digest: sha256Digest(policies.map((policy) => `${policy.name} ${policy.digest}\n`).join('')),
    source: policies.map((policy) => policy.source).join(', '),
    rules: [...rules.values()].map((entry) => entry.rule),
  };
}

function fingerprint(rule: PolicyRule): string {
  return JSON.stringify([
    rule.title,
    rule.severity,
    rule.when?.source,
    rule.expr.source,
    rule.reason?.source,
    rule.remediation,
    rule.frameworks,
  ]);
}
