import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { announceChange } from '../../api/changes.js';
import { messageOf } from '../../api/client.js';
import { useResource } from '../../api/resource.js';
import type { Incident } from '../../api/types.js';
import { may } from '../../auth/permissions.js';
import { useSession } from '../../auth/session.js';
import { SeverityBadge } from '../../components/Badges.js';
import { Fact, Facts } from '../../components/Facts.js';
import { PageHeader, Panel } from '../../components/Panel.js';
import { Async } from '../../components/Status.js';
import { Time } from '../../components/Time.js';
import { useTitle } from '../../layout/Shell.js';
import { IncidentStatusBadge } from './IncidentsPage.js';

/** One incident: what happened, its timeline, and acknowledging or resolving it with a note. */
export function IncidentPage() {
  const id = Number(useParams().id);
  useTitle(`Incident #${id}`);
  const incident = useResource((api, signal) => api.get<Incident>(`incidents/${id}`, undefined, signal), [id]);
  return (
    <>
      <PageHeader
        title={incident.data ? `#${id} ${incident.data.title}` : `Incident #${id}`}
        crumbs={
          <ol>
            <li>
              <Link to="/incidents">Incidents</Link>
            </li>
            <li aria-current="page">#{id}</li>
          </ol>
        }
      />
      <Async resource={incident} label="Loading the incident">
        {(data) => (
          <div className="grid-main-side">
            <Panel title="Timeline">
              <ol className="timeline">
                {(data.timeline ?? []).map((event, index) => (
                  <li key={`${event.at}-${index}`} className={`timeline-${event.kind}`}>
                    <p>
                      <strong>{event.kind}</strong> by {event.actor ?? 'the monitor'} · <Time iso={event.at} />
                    </p>
                    {event.note ? <p className="prose">{event.note}</p> : null}
                  </li>
                ))}
              </ol>
              <IncidentActions incident={data} onDone={incident.reload} />
            </Panel>
            <Panel title="Incident">
              <Facts>
                <Fact label="Status">
                  <IncidentStatusBadge status={data.status} />
                </Fact>
                <Fact label="Severity">
                  <SeverityBadge severity={data.severity} />
                </Fact>
                <Fact label="Model">
                  {data.model ? (
                    <Link to={`/models/${encodeURIComponent(data.model)}/monitoring`}>{data.model}</Link>
                  ) : (
                    '—'
                  )}
                </Fact>
                <Fact label="Source" className="break">
                  {data.source}
                </Fact>
                <Fact label="Opened">
                  <Time iso={data.openedAt} />
                </Fact>
                <Fact label="Updated">
                  <Time iso={data.updatedAt} />
                </Fact>
              </Facts>
            </Panel>
          </div>
        )}
      </Async>
    </>
  );
}

function IncidentActions({ incident, onDone }: { readonly incident: Incident; readonly onDone: () => void }) {
  const { me, api } = useSession();
  const allowed = may(me, 'incident:manage', incident.model ?? undefined);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const noteId = useId();
  const hintId = useId();

  const act = async (action: 'acknowledge' | 'resolve' | 'notes') => {
    if (!note.trim()) {
      setError('Write a note first: it goes into the timeline and the audit trail.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.send('POST', `incidents/${incident.id}/${action}`, { note });
      setNote('');
      announceChange();
      onDone();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  if (!allowed) return <p className="muted">You may not manage incidents.</p>;
  return (
    <form className="action-card" onSubmit={(event) => event.preventDefault()} aria-label="Update the incident">
      <div className="field">
        <label htmlFor={noteId}>Note</label>
        <textarea
          id={noteId}
          rows={3}
          maxLength={10_000}
          value={note}
          aria-describedby={hintId}
          onChange={(event) => setNote(event.target.value)}
        />
        <p id={hintId} className="field-hint">
          What you found or did. Every step is recorded in the audit trail.
        </p>
      </div>
      <div className="button-row">
        {incident.status === 'open' ? (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => act('acknowledge')}>
            Acknowledge
          </button>
        ) : null}
        {incident.status !== 'resolved' ? (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => act('resolve')}>
            Resolve
          </button>
        ) : null}
        <button type="button" className="button" disabled={busy} onClick={() => act('notes')}>
          Add note
        </button>
      </div>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
