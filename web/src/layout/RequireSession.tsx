import { Navigate, useLocation } from 'react-router';
import { useSessionState } from '../auth/session.js';
import { Loading } from '../components/Status.js';
import { Shell } from './Shell.js';

/** Signed-in pages: the shell when there is a session, the sign-in page (remembering where to) when not. */
export function RequireSession() {
  const { session, restoring } = useSessionState();
  const location = useLocation();
  if (restoring) {
    return (
      <div className="center-page">
        <Loading label="Checking your session" />
      </div>
    );
  }
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <Shell />;
}
