import { useId, useState } from 'react';
import { Link } from 'react-router';
import { aliasesByVersion, loadAliases, loadVersions, modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { Model } from '../../api/types.js';
import { SeverityBadge, VersionStatusBadge } from '../../components/Badges.js';
import { plural } from '../../components/format.js';
import { PageHeader, Panel } from '../../components/Panel.js';
import { Async, Empty } from '../../components/Status.js';
import { Time } from '../../components/Time.js';
import { useTitle } from '../../layout/Shell.js';

/** Every model the user may read, with its newest version's status and where its aliases point. */
export function ModelsPage() {
  useTitle('Models');
  const models = useResource((api, signal) => api.get<Model[]>('models', undefined, signal), []);
  const [filter, setFilter] = useState('');
  const filterId = useId();
  return (
    <>
      <PageHeader title="Models" />
      <Async resource={models} label="Loading models">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No models yet">
              <p>
                Register one with <code>POST /api/v1/models</code>, then upload versions; each upload is scanned before
                it becomes available.
              </p>
            </Empty>
          ) : (
            <Panel
              title={plural(list.length, 'model')}
              actions={
                <div className="field field-inline">
                  <label htmlFor={filterId}>Filter models</label>
                  <input
                    id={filterId}
                    type="search"
                    value={filter}
                    placeholder="name or description"
                    onChange={(event) => setFilter(event.target.value)}
                  />
                </div>
              }
            >
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col">Latest version</th>
                      <th scope="col">Scan</th>
                      <th scope="col">Aliases</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list
                      .filter((model) =>
                        `${model.name} ${model.description}`.toLowerCase().includes(filter.toLowerCase()),
                      )
                      .map((model) => (
                        <ModelRow key={model.name} model={model} />
                      ))}
                  </tbody>
                </table>
              </div>
            </Panel>
          )
        }
      </Async>
    </>
  );
}

function ModelRow({ model }: { readonly model: Model }) {
  const summary = useResource(
    async (api, signal) => {
      const [versions, aliases] = await Promise.all([
        loadVersions(api, model.name, signal),
        loadAliases(api, model.name, signal),
      ]);
      return { latest: versions.filter((version) => version.status !== 'deleted').at(-1), aliases };
    },
    [model.name],
  );
  const data = summary.data;
  const pointing = data ? aliasesByVersion(data.aliases) : new Map<number, string[]>();
  return (
    <tr>
      <th scope="row">
        <Link to={`/${modelPath(model.name)}`} className="strong-link">
          {model.name}
        </Link>
        {model.description ? <div className="muted small">{model.description}</div> : null}
      </th>
      <td>
        {summary.state === 'error' ? (
          <span className="muted">could not load</span>
        ) : !data ? (
          <span className="muted">…</span>
        ) : data.latest ? (
          <span className="cluster">
            <Link to={`/${modelPath(model.name, `/versions/${data.latest.number}`)}`}>v{data.latest.number}</Link>
            <VersionStatusBadge status={data.latest.status} />
          </span>
        ) : (
          <span className="muted">no versions</span>
        )}
      </td>
      <td>
        {data?.latest?.scan ? (
          data.latest.scan.worst ? (
            <span className="cluster">
              <SeverityBadge severity={data.latest.scan.worst} /> {plural(data.latest.scan.findings, 'finding')}
            </span>
          ) : (
            <span>no findings</span>
          )
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {data ? (
          <span className="cluster">
            {data.aliases.filter((alias) => alias.current !== null).length === 0 ? (
              <span className="muted">none</span>
            ) : (
              [...pointing.entries()].flatMap(([version, names]) =>
                names.map((name) => (
                  <span key={name} className="alias-chip">
                    {name} → v{version}
                  </span>
                )),
              )
            )}
          </span>
        ) : null}
      </td>
      <td>
        <Time iso={model.createdAt} />
      </td>
    </tr>
  );
}
