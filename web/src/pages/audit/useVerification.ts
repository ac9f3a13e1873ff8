import { useCallback, useEffect, useMemo, useState } from 'react';
import { onChange } from '../../api/changes.js';
import { useSession } from '../../auth/session.js';
import { AuditVerifier, type Verdict } from './verifier.js';

/** How often the page re-checks the log while it is open. */
export const RECHECK_MS = 15_000;

/** Live verification: on open, every RECHECK_MS, after any change made from this tab, and on demand. */
export function useVerification() {
  const { api } = useSession();
  const verifier = useMemo(() => new AuditVerifier(api), [api]);
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [entries, setEntries] = useState<readonly string[]>([]);
  const [entriesCheckedAt, setEntriesCheckedAt] = useState<Date | undefined>(undefined);

  const run = useCallback(
    async (fromScratch = false) => {
      setBusy(true);
      const result = await verifier.check({ fromScratch });
      setVerdict(result);
      if (result.ok) {
        setEntries(verifier.entries);
        setEntriesCheckedAt(result.checkedAt);
      }
      setBusy(false);
    },
    [verifier],
  );

  useEffect(() => {
    void run(true);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void run();
    }, RECHECK_MS);
    const stop = onChange(() => void run());
    return () => {
      clearInterval(timer);
      stop();
    };
  }, [run]);

  /** `entries` are those of the last check that verified, at `entriesCheckedAt`. */
  return { verifier, verdict, busy, entries, entriesCheckedAt, verify: run };
}
