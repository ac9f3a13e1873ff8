import { type FormEvent, useEffect, useId, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError, messageOf } from '../api/client.js';
import { useSessionState } from './session.js';

/** Sign in by pasting an API token; it is checked with `GET /api/v1/me` before it is kept. */
export function LoginPage() {
  const { session, notice, signIn } = useSessionState();
  const location = useLocation();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const hintId = useId();

  useEffect(() => {
    document.title = 'Sign in · mlsecops';
  }, []);

  const from = (location.state as { from?: string } | null)?.from;
  if (session) return <Navigate to={from && from !== '/login' ? from : '/models'} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setError('Paste a token first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'The server did not accept this token: it is unknown, expired or revoked.'
          : messageOf(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={submit} noValidate>
        <p className="brand login-brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          mlsecops
        </p>
        <h1>Sign in</h1>
        <p className="muted">
          Model registry, promotion gates, monitoring and the audit trail: everything you may see with your API token.
        </p>
        {notice ? <output className="notice">{notice}</output> : null}
        <div className="field">
          <label htmlFor={inputId}>API token</label>
          <input
            id={inputId}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="mls_…"
            aria-describedby={hintId}
            aria-invalid={error ? true : undefined}
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
          <p id={hintId} className="field-hint">
            An administrator issues tokens (<code>POST /api/v1/principals/:id/tokens</code>); the first admin token is
            printed when the server starts for the first time. The token stays in this browser tab only and is forgotten
            when you sign out or close the tab.
          </p>
        </div>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
