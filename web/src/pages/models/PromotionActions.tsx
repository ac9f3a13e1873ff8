import { useId, useState } from 'react';
import { announceChange } from '../../api/changes.js';
import { messageOf } from '../../api/client.js';
import { modelPath } from '../../api/registry.js';
import { may } from '../../auth/permissions.js';
import { useSession } from '../../auth/session.js';

type Outcome = { readonly ok: boolean; readonly message: string } | undefined;

function OutcomeNote({ outcome }: { readonly outcome: Outcome }) {
  if (!outcome) return null;
  return (
    <p className={`notice ${outcome.ok ? 'notice-ok' : 'notice-error'}`} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.message}
    </p>
  );
}

/** Approve or reject the version, with a comment; the uploader cannot review their own upload. */
export function ReviewForm({
  name,
  number,
  onDone,
}: {
  readonly name: string;
  readonly number: number;
  readonly onDone: () => void;
}) {
  const { me, api } = useSession();
  const allowed = may(me, 'model:approve', name);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  const commentId = useId();
  const hintId = useId();

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setOutcome(undefined);
    try {
      await api.send('POST', modelPath(name, `/versions/${number}/approvals`), { decision, comment });
      setOutcome({
        ok: true,
        message: decision === 'approve' ? 'Your approval is recorded.' : 'Your rejection is recorded.',
      });
      setComment('');
      announceChange();
      onDone();
    } catch (error) {
      setOutcome({ ok: false, message: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="action-card" onSubmit={(event) => event.preventDefault()} aria-label="Review">
      <h3>Review</h3>
      <div className="field">
        <label htmlFor={commentId}>Comment</label>
        <textarea
          id={commentId}
          rows={2}
          maxLength={2000}
          value={comment}
          disabled={!allowed}
          aria-describedby={hintId}
          onChange={(event) => setComment(event.target.value)}
        />
        <p id={hintId} className="field-hint">
          {allowed ? 'Recorded with your decision in the audit trail.' : 'You may not review versions of this model.'}
        </p>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          disabled={!allowed || busy}
          onClick={() => decide('approve')}
        >
          Approve v{number}
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={!allowed || busy}
          onClick={() => decide('reject')}
        >
          Reject v{number}
        </button>
      </div>
      <OutcomeNote outcome={outcome} />
    </form>
  );
}

/** Point the alias at this version; the server re-runs the gate and says why when it refuses. */
export function PromoteForm({
  name,
  number,
  alias,
  current,
  known,
  gatePassed,
  onDone,
}: {
  readonly name: string;
  readonly number: number;
  readonly alias: string;
  readonly current: number | null;
  /** Whether `current` is known yet: the move is conditional on it (`from`), so wait for it. */
  readonly known: boolean;
  readonly gatePassed: boolean | undefined;
  readonly onDone: () => void;
}) {
  const { me, api } = useSession();
  const allowed = may(me, 'model:promote', name);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  const already = current === number;

  const promote = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const moved = await api.send<{ alias: string; version: number; previous: number | null }>(
        'PUT',
        modelPath(name, `/aliases/${encodeURIComponent(alias)}`),
        { version: number, from: current },
      );
      setOutcome({
        ok: true,
        message: `${moved.alias} now points to v${moved.version}${moved.previous === null ? '' : ` (was v${moved.previous})`}.`,
      });
      announceChange();
      onDone();
    } catch (error) {
      setOutcome({ ok: false, message: `Not promoted: ${messageOf(error)}` });
      onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="action-card">
      <h3>Promote</h3>
      <p className="field-hint">
        {!allowed
          ? 'You may not move aliases of this model.'
          : already
            ? `${alias} already points to this version.`
            : gatePassed === false
              ? 'The gate blocks this promotion; the server will refuse it and say why.'
              : `Moves ${alias} from ${current === null ? 'nothing' : `v${current}`} to v${number}, through the gate.`}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          disabled={!allowed || busy || already || !known}
          onClick={promote}
        >
          Promote v{number} to {alias}
        </button>
      </div>
      <OutcomeNote outcome={outcome} />
    </div>
  );
}
