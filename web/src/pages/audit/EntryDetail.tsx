import { useState } from 'react';
import { messageOf } from '../../api/client.js';
import type { AuditEvent } from '../../api/types.js';
import { Fact, Facts } from '../../components/Facts.js';
import { ScrollBox } from '../../components/ScrollBox.js';
import { Empty } from '../../components/Status.js';
import { Time } from '../../components/Time.js';
import type { AuditVerifier } from './verifier.js';

/** One entry as recorded (keyed by entry, so a proof result never outlives its entry), and a check of the server's inclusion proof for it against the verified root. */
export function EntryDetail({
  event,
  verifier,
}: {
  readonly event: AuditEvent | undefined;
  readonly verifier: AuditVerifier;
}) {
  const [proof, setProof] = useState<{ seq: number; text: string; ok: boolean } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  if (!event) {
    return (
      <aside className="entry-detail" aria-label="Entry detail">
        <Empty title="Select an entry to see what was recorded" />
      </aside>
    );
  }
  const prove = async () => {
    setBusy(true);
    try {
      const ok = await verifier.proveInclusion(event.seq);
      setProof({
        seq: event.seq,
        ok,
        text: ok
          ? `Entry #${event.seq} is in the verified log (inclusion proof checked).`
          : `The inclusion proof for #${event.seq} does not verify.`,
      });
    } catch (error) {
      setProof({ seq: event.seq, ok: false, text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <aside className="entry-detail" aria-label="Entry detail">
      <h3>
        #{event.seq} {event.kind}
      </h3>
      <Facts>
        <Fact label="When">
          <Time iso={event.at} />
        </Fact>
        <Fact label="Who">{event.actor ? `${event.actor.name} (#${event.actor.id})` : 'system'}</Fact>
      </Facts>
      <ScrollBox label="Details recorded" className="code-block">
        <pre>{JSON.stringify(event.details, null, 2)}</pre>
      </ScrollBox>
      <button type="button" className="button button-small" disabled={busy} onClick={prove}>
        Check inclusion proof
      </button>
      {proof && proof.seq === event.seq ? (
        <output className={`notice ${proof.ok ? 'notice-ok' : 'notice-error'}`}>{proof.text}</output>
      ) : null}
    </aside>
  );
}
