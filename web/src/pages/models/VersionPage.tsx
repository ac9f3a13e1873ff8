import { Link, useParams } from 'react-router';
import { loadAliases, modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { VersionDetail } from '../../api/types.js';
import { SeverityBadge, VersionStatusBadge } from '../../components/Badges.js';
import { Fact, Facts } from '../../components/Facts.js';
import { formatBytes, plural } from '../../components/format.js';
import { Panel } from '../../components/Panel.js';
import { Async } from '../../components/Status.js';
import { Time } from '../../components/Time.js';
import { useTitle } from '../../layout/Shell.js';
import { AnnotationsPanel } from './AnnotationsPanel.js';
import { EvidencePanel } from './EvidencePanel.js';
import { ModelHeader } from './ModelHeader.js';
import { PromotionPanel } from './PromotionPanel.js';

/** One version: what it is, whether it may ship (the gate) and the evidence that says why. */
export function VersionPage() {
  const params = useParams();
  const name = params.name ?? '';
  const number = Number(params.number);
  useTitle(`${name} v${number}`);
  const version = useResource(
    (api, signal) => api.get<VersionDetail>(modelPath(name, `/versions/${number}`), undefined, signal),
    [name, number],
  );
  const aliases = useResource((api, signal) => loadAliases(api, name, signal), [name]);
  return (
    <>
      <ModelHeader name={name} title={`${name} v${number}`} extraCrumbs={<li aria-current="page">v{number}</li>} />
      <Async resource={version} label="Loading the version">
        {(detail) => (
          <div className="grid-main-side">
            <div className="stack">
              <PromotionPanel name={name} version={detail} aliases={aliases} />
              <EvidencePanel name={name} number={number} />
              <AnnotationsPanel name={name} annotations={detail.annotations} />
            </div>
            <Summary name={name} detail={detail} />
          </div>
        )}
      </Async>
    </>
  );
}

function Summary({ name, detail }: { readonly name: string; readonly detail: VersionDetail }) {
  return (
    <Panel title="Version">
      <Facts>
        <Fact label="Status">
          <VersionStatusBadge status={detail.status} />
        </Fact>
        <Fact label="Scan">
          {detail.scan ? (
            <>
              {detail.scan.worst ? <SeverityBadge severity={detail.scan.worst} /> : 'clean'}{' '}
              {detail.scan.findings ? (
                <Link to={`/${modelPath(name, `/versions/${detail.number}/findings`)}`}>
                  {plural(detail.scan.findings, 'finding')}
                </Link>
              ) : null}
              {detail.scan.rules.length ? (
                <ul className="plain-list small">
                  {detail.scan.rules.map((rule) => (
                    <li key={rule}>
                      <code>{rule}</code>
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : (
            <span className="muted">not scanned</span>
          )}
        </Fact>
        <Fact label="Signature">
          {detail.signature ? (
            <>
              {detail.signature.verified ? 'verified' : 'not verified'} · {detail.signature.signer}
              <div className="muted small">
                <Time iso={detail.signature.verifiedAt} />
              </div>
            </>
          ) : (
            <span className="muted">unsigned</span>
          )}
        </Fact>
        <Fact label="Digest">
          <code className="break">{detail.digest ?? '—'}</code>
        </Fact>
        <Fact label="Size">{formatBytes(detail.size)}</Fact>
        <Fact label="Uploaded">
          <Time iso={detail.createdAt} />
        </Fact>
      </Facts>
    </Panel>
  );
}
