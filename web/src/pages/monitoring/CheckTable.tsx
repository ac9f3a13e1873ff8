import type { MonitorCheck } from '../../api/types.js';
import { PassBadge } from '../../components/Badges.js';
import { formatPercent } from '../../components/format.js';
import { Panel } from '../../components/Panel.js';
import { Time } from '../../components/Time.js';

/** The checks, newest first; choosing one shows its columns and signals. */
export function CheckTable({
  checks,
  selected,
  onSelect,
}: {
  readonly checks: readonly MonitorCheck[];
  readonly selected: MonitorCheck | undefined;
  readonly onSelect: (check: MonitorCheck) => void;
}) {
  return (
    <Panel title="Checks">
      <div className="table-wrap table-scroll">
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Source</th>
              <th scope="col">Rows</th>
              <th scope="col">Drifted</th>
              <th scope="col">
                <span className="sr-only">Select</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {checks.map((check) => (
              <tr key={check.id} className={check.id === selected?.id ? 'row-selected' : ''}>
                <td>
                  <Time iso={check.at} />
                </td>
                <td>
                  {check.source} <span className="muted small">v{check.version}</span>
                </td>
                <td>{check.rows.toLocaleString()}</td>
                <td>
                  {check.report ? (
                    <PassBadge
                      passed={!check.drifted}
                      yes={formatPercent(check.share)}
                      no={`${formatPercent(check.share)} drift`}
                    />
                  ) : (
                    <span className="muted">skipped</span>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-small"
                    aria-pressed={check.id === selected?.id}
                    onClick={() => onSelect(check)}
                  >
                    Details<span className="sr-only"> of check {check.id}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
