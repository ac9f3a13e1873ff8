import type { GateDecision } from '../api/types.js';
import { PassBadge, SeverityBadge } from './Badges.js';

/** The policy decisions behind a gate (one per policy), whether the server sent one or a list. */
function decisionsOf(value: unknown): GateDecision[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter(
    (entry): entry is GateDecision =>
      Boolean(entry) && typeof entry === 'object' && Array.isArray((entry as GateDecision).rules) && 'policy' in entry,
  );
}

function frameworks(rule: GateDecision['rules'][number]): string {
  const refs = rule.frameworks;
  return [...refs.owaspMl, ...refs.owaspLlm, ...refs.atlasTechniques, ...refs.euAiAct, ...refs.nistAiRmf].join(', ');
}

/**
 * How the policy engine decided: each policy (by name and digest), the digest of the evidence it
 * read, and every rule with its result, reason and the framework controls it maps to. Folded by
 * default: the checks above it already say what blocks.
 */
export function DecisionRules({ decision }: { readonly decision: unknown }) {
  const decisions = decisionsOf(decision);
  if (decisions.length === 0) return null;
  return (
    <details className="decision">
      <summary>
        Policy evaluation: {decisions.map((entry) => entry.policy.name).join(', ')} ·{' '}
        {decisions.reduce((sum, entry) => sum + entry.rules.length, 0)} rules
      </summary>
      {decisions.map((entry) => (
        <div key={`${entry.policy.name}-${entry.policy.digest}`} className="decision-policy">
          <p className="muted small break">
            Policy <strong>{entry.policy.name}</strong> <code>{entry.policy.digest}</code>, evaluated over evidence{' '}
            <code>{entry.evidenceDigest}</code>
          </p>
          <div className="table-wrap">
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Result</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {entry.rules.map((rule) => (
                  <tr key={rule.id}>
                    <th scope="row">
                      <code>{rule.id}</code>
                      <div className="small">{rule.title}</div>
                      {frameworks(rule) ? <div className="muted small">{frameworks(rule)}</div> : null}
                    </th>
                    <td>
                      <SeverityBadge severity={rule.severity} />
                    </td>
                    <td>
                      {rule.skipped ? (
                        <span className="muted">not applicable</span>
                      ) : (
                        <PassBadge passed={rule.passed} yes="held" no="failed" />
                      )}
                    </td>
                    <td className="break">
                      {rule.reason}
                      {rule.error ? <div className="text-fail small">{rule.error}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </details>
  );
}
