import { useId, useMemo, useState } from 'react';
import type { AuditEvent } from '../../api/types.js';
import { formatTime } from '../../components/format.js';
import { useRovingList } from '../../components/useRovingList.js';

const ROW_HEIGHT = 48;

/** A line of the most telling details: which model, version, alias or incident an entry is about. */
export function describe(event: AuditEvent): string {
  const details = event.details;
  const parts = ['model', 'version', 'alias', 'decision', 'incident', 'name']
    .filter((key) => details[key] !== undefined && details[key] !== null && typeof details[key] !== 'object')
    .map((key) => `${key} ${String(details[key])}`);
  return parts.join(' · ');
}

/** Entries as a virtualized, filterable list; arrow keys move through it as in the findings list. */
export function EntryList({
  events,
  selected,
  onSelect,
}: {
  readonly events: readonly AuditEvent[];
  readonly selected: AuditEvent | undefined;
  readonly onSelect: (event: AuditEvent) => void;
}) {
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const shown = useMemo(() => {
    const text = filter.toLowerCase();
    return text
      ? events.filter((event) =>
          `${event.kind} ${event.actor?.name ?? ''} ${describe(event)}`.toLowerCase().includes(text),
        )
      : events;
  }, [events, filter]);
  const selectedIndex = selected ? shown.findIndex((event) => event.seq === selected.seq) : -1;
  const { scroller, virtualizer, move, tabIndex } = useRovingList({
    items: shown,
    rowHeight: ROW_HEIGHT,
    selectedIndex,
    onSelect,
  });

  return (
    <div className="entry-pane">
      <div className="field field-inline">
        <label htmlFor={filterId}>Filter entries</label>
        <input
          id={filterId}
          type="search"
          placeholder="kind, actor, model…"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      </div>
      <div ref={scroller} className="vlist vlist-short" data-testid="audit-entries">
        <ul
          className="vlist-inner"
          style={{ height: virtualizer.getTotalSize() }}
          aria-label={`${shown.length} audit entries`}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const event = shown[item.index];
            if (!event) return null;
            const active = item.index === selectedIndex;
            return (
              <li
                key={event.seq}
                data-index={item.index}
                className="vlist-row"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                aria-setsize={shown.length}
                aria-posinset={item.index + 1}
              >
                <button
                  type="button"
                  className={`entry-row ${active ? 'is-selected' : ''}`}
                  aria-current={active ? 'true' : undefined}
                  tabIndex={item.index === tabIndex ? 0 : -1}
                  onKeyDown={move}
                  onClick={() => onSelect(event)}
                >
                  <span className="entry-seq">#{event.seq}</span>
                  <span className="entry-kind">{event.kind}</span>
                  <span className="entry-desc">{describe(event)}</span>
                  <span className="entry-meta">
                    {event.actor?.name ?? 'system'} · {formatTime(event.at)}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
