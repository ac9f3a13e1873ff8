import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { modelPath } from '../../api/registry.js';
import type { StoredDecision } from '../../api/types.js';
import { PassBadge } from '../../components/Badges.js';
import { DecisionRules } from '../../components/DecisionRules.js';
import { GateChecks } from '../../components/GateChecks.js';
import { Empty } from '../../components/Status.js';
import { Time } from '../../components/Time.js';

/** Stored gate decisions, newest first; each expands to every check and the policy's rules. */
export function DecisionsTable({
  decisions,
  showModel = true,
}: {
  readonly decisions: readonly StoredDecision[];
  readonly showModel?: boolean;
}) {
  const [open, setOpen] = useState<number | undefined>(undefined);
  if (decisions.length === 0) {
    return (
      <Empty title="No gate decisions yet">
        <p>Every promotion request is evaluated by the gate and stored here, passed or blocked.</p>
      </Empty>
    );
  }
  const columns = showModel ? 7 : 6;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Decided</th>
            {showModel ? <th scope="col">Model</th> : null}
            <th scope="col">Version</th>
            <th scope="col">Alias</th>
            <th scope="col">Verdict</th>
            <th scope="col">Requested by</th>
            <th scope="col">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((decision) => {
            const failed = decision.checks.filter((check) => !check.passed);
            return (
              <Fragment key={decision.id}>
                <tr>
                  <td>
                    <Time iso={decision.decidedAt} />
                  </td>
                  {showModel ? (
                    <th scope="row">
                      <Link to={`/${modelPath(decision.model)}`}>{decision.model}</Link>
                    </th>
                  ) : null}
                  <td>
                    <Link to={`/${modelPath(decision.model, `/versions/${decision.version}`)}`}>
                      v{decision.version}
                    </Link>
                  </td>
                  <td>{decision.alias}</td>
                  <td>
                    <PassBadge passed={decision.passed} />
                    {failed.length ? (
                      <div className="small text-fail">{failed.map((check) => check.detail).join('; ')}</div>
                    ) : null}
                  </td>
                  <td>{decision.requestedBy}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      aria-expanded={open === decision.id}
                      onClick={() => setOpen(open === decision.id ? undefined : decision.id)}
                    >
                      {open === decision.id ? 'Hide' : 'Why'}
                      <span className="sr-only"> decision {decision.id}</span>
                    </button>
                  </td>
                </tr>
                {open === decision.id ? (
                  <tr className="row-detail">
                    <td colSpan={columns}>
                      <GateChecks checks={decision.checks} />
                      <DecisionRules decision={decision.decision} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
