import { useId, useMemo, useState } from 'react';
import type { MonitorCheck } from '../../api/types.js';
import { formatPercent } from '../../components/format.js';
import { Panel } from '../../components/Panel.js';
import { type ChartSeries, TimeChart } from '../../components/TimeChart.js';

/** Columns drawn at once when "all columns" is chosen; more would be unreadable. */
const MAX_LINES = 8;

const millis = (check: MonitorCheck) => Date.parse(check.at);

/** Dataset drift share over time, and each column's test statistic over time. */
export function DriftCharts({ checks }: { readonly checks: readonly MonitorCheck[] }) {
  const [column, setColumn] = useState('');
  const selectId = useId();
  const times = useMemo(() => checks.map(millis), [checks]);
  const columns = useMemo(() => {
    const names = new Set<string>();
    for (const check of checks) for (const entry of check.report?.columns ?? []) names.add(entry.column);
    return [...names];
  }, [checks]);

  const share = useMemo<ChartSeries[]>(
    () => [
      {
        label: 'Drifted share of columns',
        color: 0,
        values: checks.map((check) => (check.report ? check.share : null)),
      },
      {
        label: 'Threshold',
        color: 3,
        dash: [6, 4],
        points: false,
        values: checks.map((check) => check.report?.dataset.threshold ?? null),
      },
    ],
    [checks],
  );
  const statistics = useMemo<ChartSeries[]>(() => {
    const statistic = (name: string) =>
      checks.map((check) => check.report?.columns.find((entry) => entry.column === name)?.statistic ?? null);
    if (column) {
      return [
        { label: `${column} statistic`, color: 1, values: statistic(column) },
        {
          label: `${column} threshold`,
          color: 3,
          dash: [6, 4],
          points: false,
          values: checks.map(
            (check) => check.report?.columns.find((entry) => entry.column === column)?.threshold ?? null,
          ),
        },
      ];
    }
    return columns.slice(0, MAX_LINES).map((name, index) => ({ label: name, color: index, values: statistic(name) }));
  }, [checks, columns, column]);

  const latest = checks.at(-1);
  const driftedCount = checks.filter((check) => check.drifted).length;
  return (
    <Panel
      title="Drift"
      actions={
        <div className="field field-inline">
          <label htmlFor={selectId}>Column</label>
          <select id={selectId} value={column} onChange={(event) => setColumn(event.target.value)}>
            <option value="">All columns{columns.length > MAX_LINES ? ` (first ${MAX_LINES})` : ''}</option>
            {columns.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      }
    >
      <p className="muted">
        {checks.length} checks, {driftedCount} with dataset drift. Latest: {latest ? formatPercent(latest.share) : '—'}{' '}
        of columns drifted{latest?.drifted ? ' (drift)' : ''}.
      </p>
      <div className="grid-halves">
        <TimeChart
          title="Share of drifted columns"
          summary={`${checks.length} checks; latest share ${latest ? formatPercent(latest.share) : 'unknown'}.`}
          times={times}
          series={share}
          yRange={[0, 1]}
        />
        <TimeChart
          title={column ? `Statistic of ${column}` : 'Test statistic per column'}
          summary={`Statistics of ${column || `${Math.min(columns.length, MAX_LINES)} columns`} over ${checks.length} checks.`}
          times={times}
          series={statistics}
        />
      </div>
    </Panel>
  );
}
