import { useParams } from 'react-router';
import type { Api } from '../../api/client.js';
import { loadVersions, modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { VersionDetail } from '../../api/types.js';
import { Panel } from '../../components/Panel.js';
import { Async, Empty } from '../../components/Status.js';
import { useTitle } from '../../layout/Shell.js';
import { ModelHeader } from '../models/ModelHeader.js';
import { buildGraph, type VersionLineage, versionId } from './graph.js';
import { LineageGraph } from './LineageGraph.js';

/** Newest versions of the model drawn, and how far up parent models are followed. */
const MAX_VERSIONS = 30;
const MAX_ANCESTORS = 60;

/** The model's versions with their lineage, and their ancestors in other models, as read from annotations. */
async function loadLineage(api: Api, name: string, signal: AbortSignal): Promise<VersionLineage[]> {
  const versions = (await loadVersions(api, name, signal)).slice(-MAX_VERSIONS);
  const detail = (model: string, number: number) =>
    api.get<VersionDetail>(modelPath(model, `/versions/${number}`), undefined, signal);
  const found = new Map<string, VersionLineage>();
  let frontier = await Promise.all(
    versions.map((version) => detail(name, version.number).then((d) => ({ model: name, d }))),
  );
  while (frontier.length && found.size < MAX_VERSIONS + MAX_ANCESTORS) {
    const next: { model: string; version: number }[] = [];
    for (const { model, d } of frontier) {
      found.set(versionId(model, d.number), {
        model,
        version: d.number,
        status: d.status,
        lineage: d.annotations.lineage,
      });
      for (const parent of d.annotations.lineage?.parents ?? []) {
        if (!found.has(versionId(parent.model, parent.version))) next.push(parent);
      }
    }
    // A parent the user may not read stays a node without detail instead of failing the page.
    frontier = (
      await Promise.all(
        next.map((parent) =>
          detail(parent.model, parent.version).then(
            (d) => ({ model: parent.model, d }),
            () => undefined,
          ),
        ),
      )
    ).filter((entry) => entry !== undefined);
  }
  return [...found.values()];
}

export function LineagePage() {
  const name = useParams().name ?? '';
  useTitle(`Lineage of ${name}`);
  const lineage = useResource((api, signal) => loadLineage(api, name, signal), [name]);
  return (
    <>
      <ModelHeader name={name} title={`Lineage of ${name}`} extraCrumbs={<li aria-current="page">Lineage</li>} />
      <Async resource={lineage} label="Reading lineage">
        {(versions) => {
          const graph = buildGraph(versions);
          const drawn = new Set(graph.nodes.map((node) => node.id));
          const own = versions.filter((entry) => entry.model === name);
          const latest = own.filter((entry) => drawn.has(versionId(name, entry.version))).at(-1);
          const without = own.filter((entry) => !drawn.has(versionId(name, entry.version)));
          if (graph.edges.length === 0) {
            return (
              <Empty title="No lineage recorded">
                <p>
                  Record the datasets, training code and parent models of a version with{' '}
                  <code>PATCH /api/v1/models/{name}/versions/:number</code> and a <code>lineage</code> field.
                </p>
              </Empty>
            );
          }
          return (
            <>
              <Panel title="Graph">
                <LineageGraph graph={graph} focus={latest ? versionId(name, latest.version) : ''} />
                {without.length ? (
                  <p className="muted small">
                    No lineage recorded for {without.map((entry) => `v${entry.version}`).join(', ')}.
                  </p>
                ) : null}
              </Panel>
              <Panel title="As a list">
                <ul className="plain-list">
                  {graph.edges.map((edge) => {
                    const from = graph.nodes.find((node) => node.id === edge.from);
                    const to = graph.nodes.find((node) => node.id === edge.to);
                    return (
                      <li key={`${edge.from}->${edge.to}`}>
                        {to?.label} ← {from?.kind === 'version' ? 'derived from' : `trained on ${from?.kind}`}{' '}
                        {from?.label} <span className="muted">({from?.detail})</span>
                      </li>
                    );
                  })}
                </ul>
              </Panel>
            </>
          );
        }}
      </Async>
    </>
  );
}
