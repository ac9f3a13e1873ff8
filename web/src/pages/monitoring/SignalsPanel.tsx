import { useMemo } from 'react';
import type { MonitorCheck } from '../../api/types.js';
import { formatNumber, formatPercent } from '../../components/format.js';
import { Panel } from '../../components/Panel.js';
import { Empty } from '../../components/Status.js';
import { type ChartSeries, TimeChart } from '../../components/TimeChart.js';

const millis = (check: MonitorCheck) => Date.parse(check.at);

/**
 * The gateway's security signals per window: requests, detector hits and blocks over time, the lowest
 * extraction score, and for the chosen check which clients the detectors flagged and for what.
 */
export function SignalsPanel({
  checks,
  selected,
}: {
  readonly checks: readonly MonitorCheck[];
  readonly selected: MonitorCheck | undefined;
}) {
  const gateway = useMemo(() => checks.filter((check) => check.source === 'gateway'), [checks]);
  const times = useMemo(() => gateway.map(millis), [gateway]);
  const traffic = useMemo<ChartSeries[]>(
    () => [
      { label: 'Requests', color: 0, values: gateway.map((check) => check.signals.requests) },
      { label: 'Detections', color: 2, values: gateway.map((check) => check.signals.detections) },
      { label: 'Blocked', color: 4, values: gateway.map((check) => check.signals.blocked) },
      { label: 'Errors', color: 5, values: gateway.map((check) => check.signals.errors) },
    ],
    [gateway],
  );
  const extraction = useMemo<ChartSeries[]>(
    () => [{ label: 'Lowest extraction W', color: 6, values: gateway.map((check) => check.signals.minExtractionW) }],
    [gateway],
  );
  if (gateway.length === 0) {
    return (
      <Panel title="Gateway security signals">
        <Empty title="No gateway windows checked">
          <p>Signals come from the inference gateway's traffic; uploaded batches carry none.</p>
        </Empty>
      </Panel>
    );
  }
  const signals = selected?.source === 'gateway' ? selected.signals : gateway.at(-1)?.signals;
  const callers = Object.entries(signals?.callers ?? {}).sort((a, b) => b[1] - a[1]);
  const verdicts = Object.entries(signals?.verdicts ?? {}).sort((a, b) => b[1] - a[1]);
  return (
    <Panel title="Gateway security signals">
      <div className="grid-halves">
        <TimeChart
          title="Requests, detections and blocks per window"
          summary={`${gateway.length} gateway windows.`}
          times={times}
          series={traffic}
        />
        <TimeChart
          title="Lowest extraction score (W) per window"
          summary="Lower scores mean query patterns closer to model extraction."
          times={times}
          series={extraction}
        />
      </div>
      <div className="grid-halves">
        <section aria-label="Detector hits per client">
          <h3>
            Detector hits per client {selected?.source === 'gateway' ? 'in the chosen window' : 'in the latest window'}
          </h3>
          {callers.length === 0 ? (
            <p className="muted">No client triggered a detector.</p>
          ) : (
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Requests flagged</th>
                </tr>
              </thead>
              <tbody>
                {callers.map(([caller, count]) => (
                  <tr key={caller}>
                    <th scope="row" className="break">
                      {caller}
                    </th>
                    <td className="num">{count.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-label="Detector verdicts">
          <h3>Verdicts by detector rule</h3>
          {verdicts.length === 0 ? (
            <p className="muted">No detector verdicts.</p>
          ) : (
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Verdicts</th>
                </tr>
              </thead>
              <tbody>
                {verdicts.map(([rule, count]) => (
                  <tr key={rule}>
                    <th scope="row">
                      <code>{rule}</code>
                    </th>
                    <td className="num">{count.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {signals?.performance ? (
            <p className="muted small">
              {signals.performance.labelled} labelled predictions
              {signals.performance.accuracy !== undefined
                ? `, accuracy ${formatPercent(signals.performance.accuracy, 1)}`
                : ''}
              {signals.performance.mae !== undefined ? `, MAE ${formatNumber(signals.performance.mae)}` : ''}
            </p>
          ) : null}
        </section>
      </div>
    </Panel>
  );
}
