import { useEffect } from 'react';
import type { Finding } from '../../api/types.js';
import { SeverityBadge } from '../../components/Badges.js';
import { useRovingList } from '../../components/useRovingList.js';

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
  const selectedIndex = selected ? findings.indexOf(selected) : -1;
  const { scroller, virtualizer, move, tabIndex } = useRovingList({
    items: findings,
    rowHeight: ROW_HEIGHT,
    selectedIndex,
    onSelect,
  });
  const items = virtualizer.getVirtualItems();

  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (findings.length < total && last >= findings.length - 50) onNearEnd();
  }, [last, findings.length, total, onNearEnd]);

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
