import { useCallback, useEffect, useMemo, useState } from 'react';
import { messageOf } from '../../api/client.js';
import { modelPath } from '../../api/registry.js';
import { useResource } from '../../api/resource.js';
import type { Finding, FindingKind, FindingPage } from '../../api/types.js';
import { useSession } from '../../auth/session.js';

/** Findings fetched per request: the first screen arrives fast, the rest as the list is scrolled. */
export const PAGE_SIZE = 2500;

export interface FindingFilters {
  readonly kind: FindingKind;
  readonly severity: readonly string[];
  readonly rule: string;
  readonly path: string;
  readonly q: string;
}

/**
 * The findings of a version matching `filters`, filtered and ordered (most severe first) by the
 * server, loaded page by page: `loadMore` appends the next page while `findings` stays stable.
 */
export function useFindings(name: string, number: number, filters: FindingFilters) {
  const { api } = useSession();
  const query = {
    kind: filters.kind,
    severity: filters.severity,
    rule: filters.rule,
    path: filters.path,
    q: filters.q,
  };
  const key = JSON.stringify(query);
  const first = useResource(
    (client, signal) =>
      client.get<FindingPage>(
        modelPath(name, `/versions/${number}/findings`),
        { ...query, offset: 0, limit: PAGE_SIZE },
        signal,
      ),
    [name, number, key],
    { keepPrevious: true },
  );
  const [extra, setExtra] = useState<{ key: string; findings: readonly Finding[] }>({ key, findings: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | undefined>(undefined);

  // A new query starts again from its first page.
  useEffect(() => {
    setExtra({ key, findings: [] });
    setMoreError(undefined);
  }, [key]);

  // While a new filter loads, the previous results stay (the facets do not vanish under the pointer).
  const page = first.data;
  const findings = useMemo(
    () =>
      page ? (extra.key === key && extra.findings.length ? [...page.findings, ...extra.findings] : page.findings) : [],
    [page, extra, key],
  );
  const matched = page?.matched ?? 0;

  const loadMore = useCallback(async () => {
    if (loadingMore || !page || findings.length >= matched) return;
    setLoadingMore(true);
    try {
      const next = await api.get<FindingPage>(modelPath(name, `/versions/${number}/findings`), {
        ...JSON.parse(key),
        offset: findings.length,
        limit: PAGE_SIZE,
      });
      setExtra((previous) => ({
        key,
        findings: previous.key === key ? [...previous.findings, ...next.findings] : next.findings,
      }));
    } catch (error) {
      setMoreError(messageOf(error));
    } finally {
      setLoadingMore(false);
    }
  }, [api, key, name, number, page, findings.length, matched, loadingMore]);

  return { first, page, findings, matched, loadMore, loadingMore, moreError };
}
