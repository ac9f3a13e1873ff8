import type { Finding } from '../../api/types.js';
import { SeverityBadge } from '../../components/Badges.js';
import { Fact, Facts } from '../../components/Facts.js';
import { Empty } from '../../components/Status.js';
import { findingPath } from './FindingList.js';

/** Everything one finding says: where, what was seen, how to fix it, and the frameworks it maps to. */
export function FindingDetail({ finding }: { readonly finding: Finding | undefined }) {
  if (!finding) {
    return (
      <aside className="finding-detail" aria-label="Finding detail">
        <Empty title="Select a finding to see its detail" />
      </aside>
    );
  }
  const { location } = finding;
  return (
    <aside className="finding-detail" aria-label="Finding detail" aria-live="polite">
      <p className="cluster">
        <SeverityBadge severity={finding.severity} />
        <span className="muted">{finding.category}</span>
      </p>
      <h2 className="finding-detail-title">{finding.title}</h2>
      <Facts>
        <Fact label="Rule">
          <code>{finding.ruleId}</code>
        </Fact>
        <Fact label="File" className="break">
          <code>{findingPath(finding)}</code>
        </Fact>
        {location.offset !== undefined ? <Fact label="Byte offset">{location.offset.toLocaleString()}</Fact> : null}
        {location.row !== undefined ? <Fact label="Row">{location.row.toLocaleString()}</Fact> : null}
        {location.column !== undefined ? <Fact label="Column">{location.column}</Fact> : null}
        {finding.entity ? <Fact label="Entity">{finding.entity}</Fact> : null}
      </Facts>
      <h3>Evidence</h3>
      <p className="prose break">{finding.evidence}</p>
      <h3>Remediation</h3>
      <p className="prose">{finding.remediation}</p>
      {finding.references.length ? (
        <>
          <h3>References</h3>
          <ul className="plain-list">
            {finding.references.map((reference) => (
              <li key={`${reference.kind}:${reference.id}`}>
                <span className="muted">{reference.kind}</span>{' '}
                {reference.url ? (
                  <a href={reference.url} target="_blank" rel="noreferrer noopener">
                    {reference.id}
                  </a>
                ) : (
                  <code>{reference.id}</code>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {finding.properties && Object.keys(finding.properties).length ? (
        <>
          <h3>Properties</h3>
          <Facts>
            {Object.entries(finding.properties).map(([key, value]) => (
              <Fact key={key} label={key} className="break">
                <code>{String(value)}</code>
              </Fact>
            ))}
          </Facts>
        </>
      ) : null}
    </aside>
  );
}
