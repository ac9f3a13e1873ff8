import { useState } from 'react';
import { type FindingPage, severityOrder } from '../../api/types.js';
import type { FindingFilters } from './useFindings.js';

const SHOWN = 10;

/** Filters by severity (several), rule (one) and file (one), with how many findings each holds. */
export function FindingFacets({
  facets,
  filters,
  onChange,
}: {
  readonly facets: FindingPage['facets'];
  readonly filters: FindingFilters;
  readonly onChange: (change: Partial<FindingFilters>) => void;
}) {
  const toggleSeverity = (severity: string) =>
    onChange({
      severity: filters.severity.includes(severity)
        ? filters.severity.filter((entry) => entry !== severity)
        : [...filters.severity, severity],
    });
  return (
    <aside className="facets" aria-label="Filters">
      <fieldset className="facet">
        <legend>Severity</legend>
        {severityOrder.map((severity) => (
          <label key={severity} className={`facet-check sev-row sev-row-${severity}`}>
            <input
              type="checkbox"
              name="severity"
              value={severity}
              checked={filters.severity.includes(severity)}
              onChange={() => toggleSeverity(severity)}
            />
            <span className={`dot sev-${severity}`} aria-hidden="true" />
            <span className="facet-label">{severity}</span>
            <span className="facet-count">{(facets.bySeverity[severity] ?? 0).toLocaleString()}</span>
          </label>
        ))}
      </fieldset>
      <FacetChoices
        title="Rule"
        counts={facets.byRule}
        value={filters.rule}
        onChange={(rule) => onChange({ rule })}
        code
      />
      <FacetChoices title="File" counts={facets.byPath} value={filters.path} onChange={(path) => onChange({ path })} />
    </aside>
  );
}

function FacetChoices({
  title,
  counts,
  value,
  onChange,
  code = false,
}: {
  readonly title: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly code?: boolean;
}) {
  const [all, setAll] = useState(false);
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = all ? entries : entries.slice(0, SHOWN);
  return (
    <section className="facet" aria-label={`${title} filter`}>
      <h2 className="facet-title">
        {title}
        {value ? (
          <button type="button" className="link-button small" onClick={() => onChange('')}>
            Clear<span className="sr-only"> {title.toLowerCase()} filter</span>
          </button>
        ) : null}
      </h2>
      <ul className="facet-list">
        {shown.map(([key, count]) => (
          <li key={key}>
            <button
              type="button"
              className="facet-choice"
              aria-pressed={value === key}
              title={key}
              onClick={() => onChange(value === key ? '' : key)}
            >
              <span className={`facet-label ${code ? 'mono' : ''}`}>{key}</span>
              <span className="facet-count">{count.toLocaleString()}</span>
            </button>
          </li>
        ))}
      </ul>
      {entries.length > SHOWN ? (
        <button type="button" className="link-button small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${entries.length.toLocaleString()}`}
        </button>
      ) : null}
    </section>
  );
}
