import { useId, useState } from 'react';
import { type AliasState, builtInAliases, modelPath } from '../../api/registry.js';
import { type Resource, useResource } from '../../api/resource.js';
import type { Gate, VersionDetail } from '../../api/types.js';
import { DecisionRules } from '../../components/DecisionRules.js';
import { GateChecks } from '../../components/GateChecks.js';
import { Panel } from '../../components/Panel.js';
import { Async } from '../../components/Status.js';
import { PromoteForm, ReviewForm } from './PromotionActions.js';

/**
 * May this version ship? The gate for the chosen alias with every check and why, then the actions
 * that change the answer: review (approve or reject) and promote.
 */
export function PromotionPanel({
  name,
  version,
  aliases,
}: {
  readonly name: string;
  readonly version: VersionDetail;
  readonly aliases: Resource<AliasState[]>;
}) {
  const [alias, setAlias] = useState<string>('production');
  const selectId = useId();
  const gate = useResource(
    (api, signal) => api.get<Gate>(modelPath(name, `/versions/${version.number}/gate`), { alias }, signal),
    [name, version.number, alias],
  );
  const names = [...new Set([...builtInAliases, ...(aliases.data ?? []).map((entry) => entry.alias)])];
  const current = aliases.data?.find((entry) => entry.alias === alias)?.current ?? null;
  const refresh = () => {
    gate.reload();
    aliases.reload();
  };
  return (
    <Panel
      title="Promotion"
      className="promotion"
      actions={
        <div className="field field-inline">
          <label htmlFor={selectId}>Alias</label>
          <select id={selectId} value={alias} onChange={(event) => setAlias(event.target.value)}>
            {names.map((entry) => (
              <option key={entry} value={entry}>
                {entry}
              </option>
            ))}
          </select>
        </div>
      }
    >
      <p className="muted">
        {alias} {current === null ? 'is not set' : `points to v${current}`}
        {current === version.number ? ' (this version)' : ''}.
      </p>
      <Async resource={gate} label="Evaluating the gate">
        {(result) => <GateView gate={result} alias={alias} number={version.number} />}
      </Async>
      <div className="actions-grid">
        <ReviewForm name={name} number={version.number} onDone={refresh} />
        <PromoteForm
          name={name}
          number={version.number}
          alias={alias}
          current={current}
          known={aliases.data !== undefined}
          gatePassed={gate.data?.passed}
          onDone={refresh}
        />
      </div>
    </Panel>
  );
}

function GateView({ gate, alias, number }: { readonly gate: Gate; readonly alias: string; readonly number: number }) {
  const failed = gate.checks.filter((check) => !check.passed).length;
  return (
    <section
      className={`gate ${gate.passed ? 'gate-pass' : 'gate-fail'}`}
      aria-label={`Gate for ${alias}`}
      data-testid="gate"
    >
      <p className="gate-verdict">
        <span className="gate-icon" aria-hidden="true">
          {gate.passed ? '✓' : '✕'}
        </span>
        {gate.passed ? (
          <>
            Promotion of v{number} to <strong>{alias}</strong> passes: every check holds.
          </>
        ) : (
          <>
            Promotion of v{number} to <strong>{alias}</strong> is blocked: {failed} of {gate.checks.length} checks fail.
          </>
        )}
      </p>
      <GateChecks checks={gate.checks} />
      <DecisionRules decision={gate.decisions} />
    </section>
  );
}
