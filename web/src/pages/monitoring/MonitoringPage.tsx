import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { MonitorCheck } from '../../api/types.js';
import { Async, Empty } from '../../components/Status.js';
import { useTitle } from '../../layout/Shell.js';
import { ModelHeader } from '../models/ModelHeader.js';
import { CheckTable } from './CheckTable.js';
import { ColumnTable } from './ColumnTable.js';
import { DriftCharts } from './DriftCharts.js';
import { SignalsPanel } from './SignalsPanel.js';

/** Production monitoring of a model: drift over time, per-column tests, and the gateway's security signals. */
export function MonitoringPage() {
  const name = useParams().name ?? '';
  useTitle(`Monitoring of ${name}`);
  const checks = useResource(
    async (api, signal) =>
      (await api.get<{ checks: MonitorCheck[] }>(`monitor/${modelPath(name, '/checks')}`, { limit: 500 }, signal))
        .checks,
    [name],
  );
  return (
    <>
      <ModelHeader name={name} title={`Monitoring of ${name}`} extraCrumbs={<li aria-current="page">Monitoring</li>} />
      <Async resource={checks} label="Loading monitor checks">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No monitor checks yet">
              <p>
                Set a reference profile (<code>PUT /api/v1/monitor/models/{name}/reference</code>); checks then run on
                the gateway's traffic on schedule and on every uploaded batch.
              </p>
            </Empty>
          ) : (
            <Monitoring checks={list} />
          )
        }
      </Async>
    </>
  );
}

function Monitoring({ checks }: { readonly checks: readonly MonitorCheck[] }) {
  const chronological = useMemo(() => [...checks].reverse(), [checks]);
  const [selectedId, setSelectedId] = useState<number | undefined>(undefined);
  const selected = checks.find((check) => check.id === selectedId) ?? checks.find((check) => check.report) ?? checks[0];
  return (
    <div className="stack">
      <DriftCharts checks={chronological} />
      <div className="grid-halves">
        <CheckTable checks={checks} selected={selected} onSelect={(check) => setSelectedId(check.id)} />
        <ColumnTable check={selected} />
      </div>
      <SignalsPanel checks={chronological} selected={selected} />
    </div>
  );
}
