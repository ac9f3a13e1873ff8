import { useParams } from 'react-router';
import { modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { StoredDecision } from '../../api/types.js';
import { PageHeader, Panel } from '../../components/Panel.js';
import { Async } from '../../components/Status.js';
import { useTitle } from '../../layout/Shell.js';
import { ModelHeader } from '../models/ModelHeader.js';
import { DecisionsTable } from './DecisionsTable.js';

const LIMIT = 500;

/** Every stored gate decision across models: who asked to promote what, and why it passed or was blocked. */
export function DecisionsPage() {
  useTitle('Policy decisions');
  const decisions = useResource(
    async (api, signal) =>
      (await api.get<{ decisions: StoredDecision[] }>('gate-decisions', { limit: LIMIT }, signal)).decisions,
    [],
  );
  return (
    <>
      <PageHeader title="Policy decisions" />
      <p className="lead">Every promotion request, evaluated by the gate and stored as evidence, passed or blocked.</p>
      <Async resource={decisions} label="Loading decisions">
        {(list) => (
          <Panel title={`Newest ${list.length} decisions`}>
            <DecisionsTable decisions={list} />
          </Panel>
        )}
      </Async>
    </>
  );
}

/** The stored gate decisions of one model. */
export function ModelDecisionsPage() {
  const name = useParams().name ?? '';
  useTitle(`Policy decisions of ${name}`);
  const decisions = useResource(
    async (api, signal) =>
      (await api.get<{ decisions: StoredDecision[] }>(modelPath(name, '/gate-decisions'), { limit: LIMIT }, signal))
        .decisions,
    [name],
  );
  return (
    <>
      <ModelHeader
        name={name}
        title={`Policy decisions of ${name}`}
        extraCrumbs={<li aria-current="page">Decisions</li>}
      />
      <Async resource={decisions} label="Loading decisions">
        {(list) => (
          <Panel title={`Newest ${list.length} decisions`}>
            <DecisionsTable decisions={list} showModel={false} />
          </Panel>
        )}
      </Async>
    </>
  );
}
