import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import type { Finding } from '../../api/types.js';
import { SeverityBadge } from '../../components/Badges.js';

const ROW_HEIGHT = 64;

export function findingPath(finding: Finding): string {
  return finding.location.member ? `${finding.location.path}!/${finding.location.member}` : finding.location.path;
}

/**
 * The findings as a virtualized list: only the rows in view exist in the page, so ten thousand
 * findings scroll as smoothly as ten. Rows are buttons with a roving tab stop: Tab enters the list
 * once, arrow keys, Home, End and Page Up/Down move through it, and the selection follows.
 */
export function FindingList({
  findings,
  total,
  selected,
  onSelect,
  onNearEnd,
}: {
  readonly findings: readonly Finding[];
  readonly total: number;
  readonly selected: Finding | undefined;
  readonly onSelect: (finding: Finding) => void;
  readonly onNearEnd: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | undefined>(undefined);
  const virtualizer = useVirtualizer({
    count: findings.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const selectedIndex = selected ? findings.indexOf(selected) : -1;
  const tabIndex = selectedIndex >= 0 ? selectedIndex : 0;

  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (findings.length < total && last >= findings.length - 50) onNearEnd();
  }, [last, findings.length, total, onNearEnd]);

  // Keyboard moves scroll the target row into view first, then focus it once it is rendered.
  useEffect(() => {
    if (pendingFocus.current === undefined) return;
    const row = scroller.current?.querySelector<HTMLButtonElement>(`[data-index="${pendingFocus.current}"] button`);
    if (!row) return;
    row.focus({ preventScroll: true });
    pendingFocus.current = undefined;
  });

  const move = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let next: number | undefined;
    if (event.key in steps) next = tabIndex + (steps[event.key] ?? 0);
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = findings.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const index = Math.min(findings.length - 1, Math.max(0, next));
    virtualizer.scrollToIndex(index, { align: 'auto' });
    pendingFocus.current = index;
    const finding = findings[index];
    if (finding) onSelect(finding);
  };

  return (
    <div ref={scroller} className="vlist" data-testid="finding-list">
      <ul className="vlist-inner" style={{ height: virtualizer.getTotalSize() }} aria-label={`${total} findings`}>
        {items.map((item) => {
          const finding = findings[item.index];
          if (!finding) return null;
          const active = item.index === selectedIndex;
          return (
            <li
              key={item.key}
              data-index={item.index}
              className="vlist-row"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              aria-setsize={total}
              aria-posinset={item.index + 1}
            >
              <button
                type="button"
                className={`finding-row ${active ? 'is-selected' : ''}`}
                aria-current={active ? 'true' : undefined}
                tabIndex={item.index === tabIndex ? 0 : -1}
                onKeyDown={move}
                onClick={() => onSelect(finding)}
              >
                <SeverityBadge severity={finding.severity} />
                <span className="finding-main">
                  <span className="finding-title">{finding.title}</span>
                  <span className="finding-meta">
                    <code>{finding.ruleId}</code> · <span title={findingPath(finding)}>{findingPath(finding)}</span>
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
