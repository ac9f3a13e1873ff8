import { useEffect, useId, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { Finding, FindingKind } from '../../api/types.js';
import { plural } from '../../components/format.js';
import { Async, Empty } from '../../components/Status.js';
import { useTitle } from '../../layout/Shell.js';
import { ModelHeader } from '../models/ModelHeader.js';
import { FindingDetail } from './FindingDetail.js';
import { FindingFacets } from './FindingFacets.js';
import { FindingList } from './FindingList.js';
import { type FindingFilters, useFindings } from './useFindings.js';

const kinds: readonly { value: FindingKind; label: string }[] = [
  { value: 'scan', label: 'Model scan' },
  { value: 'data-scan', label: 'Data scans' },
  { value: 'assessment', label: 'Assessments' },
];

function filtersOf(params: URLSearchParams): FindingFilters {
  const kind = (params.get('kind') ?? 'scan') as FindingKind;
  return {
    kind: kinds.some((entry) => entry.value === kind) ? kind : 'scan',
    severity: (params.get('severity') ?? '').split(',').filter(Boolean),
    rule: params.get('rule') ?? '',
    path: params.get('path') ?? '',
    q: params.get('q') ?? '',
  };
}

function searchOf(filters: FindingFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.kind !== 'scan') search.set('kind', filters.kind);
  if (filters.severity.length) search.set('severity', filters.severity.join(','));
  if (filters.rule) search.set('rule', filters.rule);
  if (filters.path) search.set('path', filters.path);
  if (filters.q) search.set('q', filters.q);
  return search;
}

/**
 * Filters live in the URL, so a filtered view can be bookmarked or sent to a colleague. They are
 * also held in state, which changes at once: router navigations run as transitions, and a checkbox
 * bound to the URL alone would spring back until the navigation commits.
 */
function useFilters(): [FindingFilters, (change: Partial<FindingFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const [filters, setFilters] = useState(() => filtersOf(params));
  // Back and forward (or an edited address) change the URL without going through `update`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the search string stands for `params`.
  useEffect(() => {
    setFilters((current) => (searchOf(current).toString() === search ? current : filtersOf(params)));
  }, [search]);
  const update = (change: Partial<FindingFilters>) => {
    const next = { ...filters, ...change };
    setFilters(next);
    setParams(searchOf(next), { replace: true });
  };
  return [filters, update];
}

/** Every finding of a version: facets, text search, a virtualized list and the selected finding's detail. */
export function FindingsPage() {
  const params = useParams();
  const name = params.name ?? '';
  const number = Number(params.number);
  useTitle(`Findings of ${name} v${number}`);
  const [filters, update] = useFilters();
  const { first, page, findings, matched, loadMore, loadingMore, moreError } = useFindings(name, number, filters);
  const [selected, setSelected] = useState<Finding | undefined>(undefined);
  const [text, setText] = useState(filters.q);
  const searchId = useId();
  const kindId = useId();

  // Searching waits for a pause in typing rather than asking the server on every key.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text triggers a search.
  useEffect(() => {
    if (text === filters.q) return;
    const timer = setTimeout(() => update({ q: text }), 250);
    return () => clearTimeout(timer);
  }, [text]);

  // The selection follows the list: a finding filtered away is no longer shown.
  useEffect(() => {
    setSelected((current) => (current && findings.includes(current) ? current : findings[0]));
  }, [findings]);

  return (
    <>
      <ModelHeader
        name={name}
        title={`Findings of ${name} v${number}`}
        extraCrumbs={<li aria-current="page">Findings</li>}
      />
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor={kindId}>Evidence</label>
          <select
            id={kindId}
            value={filters.kind}
            onChange={(event) => update({ kind: event.target.value as FindingKind })}
          >
            {kinds.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline field-grow">
          <label htmlFor={searchId}>Search findings</label>
          <input
            id={searchId}
            type="search"
            placeholder="title, evidence or rule"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <output className="muted" aria-live="polite">
          {first.state === 'loading' && page
            ? 'Updating…'
            : page
              ? `${plural(matched, 'finding')} of ${page.total.toLocaleString()} shown`
              : ''}
        </output>
      </div>
      <Async resource={first} label="Loading findings">
        {(data) =>
          data.total === 0 ? (
            <Empty title="No findings">
              <p>The {filters.kind} evidence of this version reports nothing.</p>
            </Empty>
          ) : (
            <div className="findings-layout">
              <FindingFacets facets={data.facets} filters={filters} onChange={update} />
              <section className="findings-list" aria-label="Findings">
                {matched === 0 ? (
                  <Empty title="No findings match these filters">
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        setText('');
                        update({ severity: [], rule: '', path: '', q: '' });
                      }}
                    >
                      Clear filters
                    </button>
                  </Empty>
                ) : (
                  <FindingList
                    findings={findings}
                    total={matched}
                    selected={selected}
                    onSelect={setSelected}
                    onNearEnd={loadMore}
                  />
                )}
                {loadingMore ? <output className="muted small">Loading more findings…</output> : null}
                {moreError ? (
                  <p className="notice notice-error" role="alert">
                    {moreError}
                  </p>
                ) : null}
              </section>
              <FindingDetail finding={selected} />
            </div>
          )
        }
      </Async>
    </>
  );
}
