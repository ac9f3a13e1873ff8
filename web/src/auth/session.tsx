import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Api, createApi, messageOf, whoIs } from '../api/client.js';
import type { Me } from '../api/types.js';

/**
 * The signed-in session: the API token (kept in sessionStorage, so it lives as long as the tab and
 * is never written to disk by the dashboard), who it belongs to, and the API client that sends it.
 */
const STORAGE_KEY = 'mlsecops.token';

export interface Session {
  readonly me: Me;
  readonly api: Api;
  readonly signOut: (reason?: string) => void;
}

interface SessionState {
  readonly session?: Session;
  /** Restoring a token from sessionStorage on load. */
  readonly restoring: boolean;
  /** Why the last session ended, shown on the sign-in page (expired token, signed out). */
  readonly notice?: string;
  readonly signIn: (token: string) => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

function readToken(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [token, setToken] = useState<string | null>(readToken);
  const [me, setMe] = useState<Me | undefined>(undefined);
  const [restoring, setRestoring] = useState(token !== null);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(STORAGE_KEY);
    setToken(null);
    setMe(undefined);
    setNotice(reason);
  }, []);

  const signIn = useCallback(async (pasted: string) => {
    const trimmed = pasted.trim();
    const principal = await whoIs(trimmed);
    sessionStorage.setItem(STORAGE_KEY, trimmed);
    setNotice(undefined);
    setToken(trimmed);
    setMe(principal);
  }, []);

  // A token kept from earlier in this tab is checked again before anything is shown with it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, for the token found at load.
  useEffect(() => {
    if (token === null || me) return;
    whoIs(token).then(
      (principal) => {
        setMe(principal);
        setRestoring(false);
      },
      (error: unknown) => {
        signOut(`Your session ended: ${messageOf(error)}`);
        setRestoring(false);
      },
    );
  }, []);

  const api = useMemo(
    () => (token ? createApi(token, () => signOut('Your token was not accepted any more; sign in again.')) : undefined),
    [token, signOut],
  );
  const session = useMemo(() => (api && me ? { me, api, signOut } : undefined), [api, me, signOut]);
  const state = useMemo(() => ({ session, restoring, notice, signIn }), [session, restoring, notice, signIn]);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The session of a signed-in page (pages render only inside RequireSession). */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
