import { useMemo, useState } from 'react';
import type { AuditEvent } from '../../api/types.js';
import { Fact, Facts } from '../../components/Facts.js';
import { PageHeader, Panel } from '../../components/Panel.js';
import { Empty, Loading } from '../../components/Status.js';
import { Time } from '../../components/Time.js';
import { useTitle } from '../../layout/Shell.js';
import { EntryDetail } from './EntryDetail.js';
import { EntryList } from './EntryList.js';
import { toBase64 } from './merkle.js';
import { RECHECK_MS, useVerification } from './useVerification.js';
import type { Verdict } from './verifier.js';

/** The tamper-evident audit trail, verified in this browser against the signed checkpoint. */
export function AuditPage() {
  useTitle('Audit trail');
  const { verifier, verdict, busy, entries, entriesCheckedAt, verify } = useVerification();
  const stale = verdict !== undefined && !verdict.ok && entries.length > 0;
  const events = useMemo(() => entries.map((entry) => JSON.parse(entry) as AuditEvent).reverse(), [entries]);
  const [selected, setSelected] = useState<AuditEvent | undefined>(undefined);
  return (
    <>
      <PageHeader title="Audit trail">
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => verify()}>
            Check for new entries
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => verify(true)}>
            Verify again from scratch
          </button>
        </div>
      </PageHeader>
      <VerificationStatus verdict={verdict} busy={busy} />
      {verdict?.ok ? (
        <Panel title="Signed checkpoint">
          <Facts>
            <Fact label="Log">{verdict.checkpoint.origin}</Fact>
            <Fact label="Entries">{verdict.checkpoint.size.toLocaleString()}</Fact>
            <Fact label="Merkle root" className="break">
              <code>{toBase64(verdict.checkpoint.root)}</code>
            </Fact>
            <Fact label="Signed by">{verdict.key.name} (Ed25519)</Fact>
            <Fact label="Key fingerprint" className="break">
              <code>SHA256:{verdict.key.fingerprint}</code>
            </Fact>
          </Facts>
          <p className="muted small">
            Compare the fingerprint with the public key you hold (<code>audit-ed25519.pub.pem</code> beside the server's
            data); the CLI's <code>mlsecops audit verify --public-key</code> performs the same check.
          </p>
        </Panel>
      ) : null}
      <Panel title={`Entries (${events.length.toLocaleString()}, newest first)`}>
        {stale ? (
          <p className="notice notice-error">
            These are the entries as they last verified, at <Time iso={entriesCheckedAt?.toISOString()} />. The log the
            server serves now does not verify.
          </p>
        ) : null}
        {events.length === 0 ? (
          busy ? (
            <Loading label="Reading the log" />
          ) : (
            <Empty title="No verified entries to show" />
          )
        ) : (
          <div className="audit-layout">
            <EntryList events={events} selected={selected} onSelect={setSelected} />
            <EntryDetail key={selected?.seq} event={selected} verifier={verifier} />
          </div>
        )}
      </Panel>
    </>
  );
}

function VerificationStatus({ verdict, busy }: { readonly verdict: Verdict | undefined; readonly busy: boolean }) {
  if (!verdict) {
    return (
      <section
        className="verify verify-pending"
        aria-live="polite"
        aria-label="Verification"
        data-testid="audit-status"
      >
        <p className="verify-title">Verifying the log in your browser…</p>
      </section>
    );
  }
  // Only the verdict is a live region: the time of the last check changes every few seconds and is not announced.
  return (
    <section
      className={`verify ${verdict.ok ? 'verify-ok' : 'verify-fail'}`}
      aria-label="Verification"
      data-testid="audit-status"
    >
      <div aria-live="polite">
        <p className="verify-title">
          <span aria-hidden="true">{verdict.ok ? '✓ ' : '✕ '}</span>
          {verdict.ok ? 'Verified' : 'NOT VERIFIED'}
        </p>
        <p>
          {verdict.ok
            ? `${verdict.checkpoint.size.toLocaleString()} entries match the checkpoint signed by ${verdict.key.name}: signature checked with Ed25519 and the RFC 6962 Merkle root recomputed from every entry, here, with WebCrypto.`
            : verdict.reason}
          {verdict.ok && verdict.grewFrom !== undefined
            ? ` The log grew from ${verdict.grewFrom.toLocaleString()} entries; the consistency proof shows nothing before was changed.`
            : ''}
        </p>
      </div>
      <p className="muted small">
        Checked <Time iso={verdict.checkedAt.toISOString()} />
        {busy ? ' · checking again…' : ''}; checked again every {RECHECK_MS / 1000} s and after your changes.
      </p>
    </section>
  );
}
