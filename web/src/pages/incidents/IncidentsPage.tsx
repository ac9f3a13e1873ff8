import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useResource } from '../../api/resource.js';
import type { Incident, IncidentStatus } from '../../api/types.js';
import { SeverityBadge } from '../../components/Badges.js';
import { PageHeader, Panel } from '../../components/Panel.js';
import { Async, Empty } from '../../components/Status.js';
import { Time } from '../../components/Time.js';
import { useTitle } from '../../layout/Shell.js';

const statuses: readonly IncidentStatus[] = ['open', 'acknowledged', 'resolved'];

export function IncidentStatusBadge({ status }: { readonly status: IncidentStatus }) {
  return <span className={`badge incident-${status}`}>{status}</span>;
}

/** Incidents opened by alerts or by people, newest first, filtered by status. */
export function IncidentsPage() {
  useTitle('Incidents');
  const [params, setParams] = useSearchParams();
  // Held in state too, so the select changes at once (router navigations run as transitions).
  const [status, setStatus] = useState(params.get('status') ?? '');
  const filterId = useId();
  const incidents = useResource(
    async (api, signal) =>
      (await api.get<{ incidents: Incident[] }>('incidents', { status: status || undefined }, signal)).incidents,
    [status],
  );
  return (
    <>
      <PageHeader title="Incidents" />
      <Panel
        title="Incidents, newest first"
        actions={
          <div className="field field-inline">
            <label htmlFor={filterId}>Status</label>
            <select
              id={filterId}
              value={status}
              onChange={(event) => {
                setStatus(event.target.value);
                setParams(event.target.value ? { status: event.target.value } : {}, { replace: true });
              }}
            >
              <option value="">Any</option>
              {statuses.map((entry) => (
                <option key={entry} value={entry}>
                  {entry}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <Async resource={incidents} label="Loading incidents">
          {(list) =>
            list.length === 0 ? (
              <Empty title={status ? `No ${status} incidents` : 'No incidents'}>
                <p>Alerts open incidents when their rules fire; people can open them too.</p>
              </Empty>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Incident</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Status</th>
                      <th scope="col">Model</th>
                      <th scope="col">Source</th>
                      <th scope="col">Opened</th>
                      <th scope="col">Updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((incident) => (
                      <tr key={incident.id}>
                        <th scope="row">
                          <Link className="strong-link" to={`/incidents/${incident.id}`}>
                            #{incident.id} {incident.title}
                          </Link>
                        </th>
                        <td>
                          <SeverityBadge severity={incident.severity} />
                        </td>
                        <td>
                          <IncidentStatusBadge status={incident.status} />
                        </td>
                        <td>
                          {incident.model ? (
                            <Link to={`/models/${encodeURIComponent(incident.model)}`}>{incident.model}</Link>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td className="break">{incident.source}</td>
                        <td>
                          <Time iso={incident.openedAt} />
                        </td>
                        <td>
                          <Time iso={incident.updatedAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      </Panel>
    </>
  );
}
