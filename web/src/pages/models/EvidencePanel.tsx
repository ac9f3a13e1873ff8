import { useState } from 'react';
import { Link } from 'react-router';
import { modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { EvidenceRecord } from '../../api/types.js';
import { SeverityBadge } from '../../components/Badges.js';
import { plural, shortDigest } from '../../components/format.js';
import { Panel } from '../../components/Panel.js';
import { ScrollBox } from '../../components/ScrollBox.js';
import { Async, Empty } from '../../components/Status.js';
import { Time } from '../../components/Time.js';

/** Largest part of a document shown inline; the rest is one click away as a download. */
const SHOWN_CHARACTERS = 200_000;
const findingKinds = new Set(['scan', 'data-scan', 'assessment']);

/** The evidence attached to a version: scan reports, data scans, assessments, attestations. */
export function EvidencePanel({ name, number }: { readonly name: string; readonly number: number }) {
  const records = useResource(
    (api, signal) =>
      api.get<{ evidence: EvidenceRecord[] }>(modelPath(name, `/versions/${number}/evidence`), undefined, signal),
    [name, number],
  );
  const [open, setOpen] = useState<number | undefined>(undefined);
  return (
    <Panel title="Evidence">
      <Async resource={records} label="Loading evidence">
        {({ evidence }) =>
          evidence.length === 0 ? (
            <Empty title="No evidence attached">
              <p>Scan reports are attached on upload; attach data scans, assessments and attestations with the API.</p>
            </Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Kind</th>
                      <th scope="col">Summary</th>
                      <th scope="col">Digest</th>
                      <th scope="col">Attached</th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {evidence.map((record) => (
                      <tr key={record.id}>
                        <th scope="row">
                          {record.kind}
                          <div className="muted small">{record.name}</div>
                        </th>
                        <td>
                          <EvidenceSummary record={record} />
                        </td>
                        <td>
                          <code title={record.digest}>{shortDigest(record.digest)}</code>
                        </td>
                        <td>
                          <Time iso={record.createdAt} />
                          <div className="muted small">{record.createdBy ?? 'registry'}</div>
                        </td>
                        <td className="cell-actions">
                          {findingKinds.has(record.kind) ? (
                            <Link to={`/${modelPath(name, `/versions/${number}/findings`)}?kind=${record.kind}`}>
                              Findings
                            </Link>
                          ) : null}
                          <button
                            type="button"
                            className="button button-small"
                            aria-expanded={open === record.id}
                            onClick={() => setOpen(open === record.id ? undefined : record.id)}
                          >
                            {open === record.id ? 'Hide document' : 'Show document'}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {open === undefined ? null : <EvidenceDocument name={name} number={number} id={open} />}
            </>
          )
        }
      </Async>
    </Panel>
  );
}

function EvidenceSummary({ record }: { readonly record: EvidenceRecord }) {
  const { summary } = record;
  const parts: string[] = [];
  if (summary.type) parts.push(summary.type);
  if (summary.files) parts.push(plural(summary.files, 'file'));
  if (summary.errors) parts.push(plural(summary.errors, 'error'));
  return (
    <span className="cluster">
      {summary.worst ? <SeverityBadge severity={summary.worst} /> : null}
      {summary.findings !== undefined ? <span>{plural(summary.findings, 'finding')}</span> : null}
      {parts.length ? <span className="muted">{parts.join(' · ')}</span> : null}
    </span>
  );
}

function EvidenceDocument({
  name,
  number,
  id,
}: {
  readonly name: string;
  readonly number: number;
  readonly id: number;
}) {
  const document = useResource(
    (api, signal) =>
      api.get<EvidenceRecord & { document: unknown }>(
        modelPath(name, `/versions/${number}/evidence/${id}`),
        undefined,
        signal,
      ),
    [name, number, id],
  );
  return (
    <Async resource={document} label="Loading the document">
      {(record) => {
        const text = JSON.stringify(record.document, null, 2);
        return (
          <figure className="document">
            <figcaption className="cluster">
              <span>
                {record.kind} document <code>{shortDigest(record.digest, 16)}</code>
              </span>
              <button
                type="button"
                className="button button-small"
                onClick={() => download(text, `${name}-v${number}-${record.kind}-${record.id}.json`)}
              >
                Download JSON
              </button>
            </figcaption>
            <ScrollBox label={`${record.kind} document`} className="code-block">
              <pre>
                {text.length > SHOWN_CHARACTERS
                  ? `${text.slice(0, SHOWN_CHARACTERS)}\n… (download for the rest)`
                  : text}
              </pre>
            </ScrollBox>
          </figure>
        );
      }}
    </Async>
  );
}

/** Saves text as a file, without keeping an object URL alive. */
function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
