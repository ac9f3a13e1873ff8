import { Link, useParams } from 'react-router';
import { type AliasState, aliasesByVersion, loadAliases, loadVersions, modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { Model, Version } from '../../api/types.js';
import { SeverityBadge, VersionStatusBadge } from '../../components/Badges.js';
import { formatBytes, plural, shortDigest } from '../../components/format.js';
import { Panel } from '../../components/Panel.js';
import { Async, Empty } from '../../components/Status.js';
import { Time } from '../../components/Time.js';
import { useTitle } from '../../layout/Shell.js';
import { ModelHeader } from './ModelHeader.js';

/** A model: its versions (status, scan, signature), and its aliases with their history. */
export function ModelPage() {
  const name = useParams().name ?? '';
  useTitle(name);
  const data = useResource(
    async (api, signal) => {
      const [model, versions, aliases] = await Promise.all([
        api.get<Model>(modelPath(name), undefined, signal),
        loadVersions(api, name, signal),
        loadAliases(api, name, signal),
      ]);
      return { model, versions, aliases };
    },
    [name],
  );
  return (
    <>
      <ModelHeader name={name} />
      <Async resource={data} label="Loading the model">
        {({ model, versions, aliases }) => (
          <>
            {model.description ? <p className="lead">{model.description}</p> : null}
            <div className="grid-main-side">
              <Panel title="Versions">
                <VersionsTable name={name} versions={versions} aliases={aliases} />
              </Panel>
              <Panel title="Aliases">
                <AliasList name={name} aliases={aliases} />
              </Panel>
            </div>
          </>
        )}
      </Async>
    </>
  );
}

function VersionsTable({
  name,
  versions,
  aliases,
}: {
  readonly name: string;
  readonly versions: readonly Version[];
  readonly aliases: readonly AliasState[];
}) {
  if (versions.length === 0) {
    return (
      <Empty title="No versions uploaded">
        <p>
          Upload an artifact to <code>POST /api/v1/models/{name}/versions</code>; it is scanned before use.
        </p>
      </Empty>
    );
  }
  const pointing = aliasesByVersion(aliases);
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Scan</th>
            <th scope="col">Signature</th>
            <th scope="col">Artifact</th>
            <th scope="col">Uploaded</th>
          </tr>
        </thead>
        <tbody>
          {[...versions].reverse().map((version) => (
            <tr key={version.number}>
              <th scope="row">
                <Link className="strong-link" to={`/${modelPath(name, `/versions/${version.number}`)}`}>
                  v{version.number}
                </Link>
                {(pointing.get(version.number) ?? []).map((alias) => (
                  <span key={alias} className="alias-chip">
                    {alias}
                  </span>
                ))}
              </th>
              <td>
                <VersionStatusBadge status={version.status} />
              </td>
              <td>
                {version.scan ? (
                  version.scan.worst ? (
                    <span className="cluster">
                      <SeverityBadge severity={version.scan.worst} />
                      <Link to={`/${modelPath(name, `/versions/${version.number}/findings`)}`}>
                        {plural(version.scan.findings, 'finding')}
                      </Link>
                    </span>
                  ) : (
                    'clean'
                  )
                ) : (
                  <span className="muted">not scanned</span>
                )}
              </td>
              <td>
                {version.signature ? (
                  version.signature.verified ? (
                    <span title={version.signature.subject}>verified · {version.signature.signer}</span>
                  ) : (
                    <span className="text-fail">not verified</span>
                  )
                ) : (
                  <span className="muted">unsigned</span>
                )}
              </td>
              <td>
                <code title={version.digest ?? ''}>{shortDigest(version.digest)}</code>
                <div className="muted small">{formatBytes(version.size)}</div>
              </td>
              <td>
                <Time iso={version.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AliasList({ name, aliases }: { readonly name: string; readonly aliases: readonly AliasState[] }) {
  return (
    <ul className="alias-list">
      {aliases.map((alias) => (
        <li key={alias.alias} className="alias-item" data-alias={alias.alias}>
          <p className="alias-current">
            <strong>{alias.alias}</strong>{' '}
            {alias.current === null ? (
              <span className="muted">not set</span>
            ) : (
              <>
                → <Link to={`/${modelPath(name, `/versions/${alias.current}`)}`}>v{alias.current}</Link>
              </>
            )}
          </p>
          {alias.moves.length ? (
            <details>
              <summary>History ({alias.moves.length} moves)</summary>
              <ol className="timeline compact">
                {[...alias.moves].reverse().map((move) => (
                  <li key={`${move.movedAt}-${move.version}`}>
                    {move.version === null ? 'cleared' : `v${move.version}`} by {move.movedBy} ·{' '}
                    <Time iso={move.movedAt} />
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
