import type { MonitorCheck } from '../../api/types.js';
import { PassBadge } from '../../components/Badges.js';
import { formatNumber } from '../../components/format.js';
import { Panel } from '../../components/Panel.js';
import { Empty } from '../../components/Status.js';
import { Time } from '../../components/Time.js';

/** Every column of one check: the test chosen, its statistic against the threshold, and the counts. */
export function ColumnTable({ check }: { readonly check: MonitorCheck | undefined }) {
  const report = check?.report;
  return (
    <Panel
      title={
        check ? (
          <>
            Columns of the check at <Time iso={check.at} />
          </>
        ) : (
          'Columns'
        )
      }
    >
      {!report ? (
        <Empty title="No drift report for this check">
          <p>Too few rows reached the window for a verdict.</p>
        </Empty>
      ) : (
        <>
          <p className="muted small">
            {report.dataset.rule}. Reference {report.reference}; current {report.current}.
          </p>
          <div className="table-wrap table-scroll">
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Test</th>
                  <th scope="col">Statistic</th>
                  <th scope="col">p-value</th>
                  <th scope="col">Threshold</th>
                  <th scope="col">Result</th>
                  <th scope="col">Rows (ref / current)</th>
                </tr>
              </thead>
              <tbody>
                {report.columns.map((column) => (
                  <tr key={column.column}>
                    <th scope="row">
                      {column.column}
                      <div className="muted small">
                        {column.type}
                        {column.approximate ? ' · approximate' : ''}
                      </div>
                      {column.notes.length ? <div className="muted small">{column.notes.join('; ')}</div> : null}
                    </th>
                    <td>{column.test ?? column.status}</td>
                    <td className="num">{formatNumber(column.statistic)}</td>
                    <td className="num">{formatNumber(column.pValue)}</td>
                    <td className="num">{formatNumber(column.threshold)}</td>
                    <td>
                      {column.status === 'tested' ? (
                        <PassBadge passed={!column.drifted} yes="stable" no="drifted" />
                      ) : (
                        column.status
                      )}
                    </td>
                    <td className="num">
                      {column.reference.count.toLocaleString()} / {column.current.count.toLocaleString()}
                      {column.current.missing ? (
                        <div className="muted small">{column.current.missing} missing</div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  );
}
